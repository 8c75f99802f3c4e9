using Drover.Cli;
using Drover.Posix;

// Before anything writes: a closed stdout must not become one of the runtime's own files.
Drover.Posix.StandardStreams.EnsureOpen();
Drover.Cli.StandardStreams.Install();
return await CliApp.RunAsync(args);
