Harness.Cli.StartupEnvironment.RestartIfUseful(args);
return Harness.Cli.ProcessExit.Now(Harness.Cli.Entry.Run(args));
