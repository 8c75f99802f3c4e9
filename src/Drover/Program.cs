using Drover.Cli;
using Drover.Posix;

// Before anything writes: a closed stdout must not become one of the runtime's own files.
StandardStreams.EnsureOpen();
return await CliApp.RunAsync(args);
