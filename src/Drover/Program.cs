using Drover.Cli;

return await CliApp.RunAsync(args);
