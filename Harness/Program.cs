Harness.Cli.StartupEnvironment.RestartIfUseful(args);
return Harness.Cli.Entry.Run(args);
