return Harness.Cli.Entry.Run(args);
