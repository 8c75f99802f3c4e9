using Drover.Cli;

// Before anything writes.
StandardStreams.Install();
return await CliApp.RunAsync(args);
