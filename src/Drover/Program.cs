using Drover.Cli;

StandardStreams.Install();
return await CliApp.RunAsync(args);
