using Drover.Cli;

// Before anything writes.
StandardStreams.Install();
if (Drover.Posix.ContainerInit.IsPid1)
{
    // A container's entrypoint with no init: stay a minimal init, and run Drover as its child.
    return Drover.Posix.ContainerInit.RunChild();
}
return await CliApp.RunAsync(args);
