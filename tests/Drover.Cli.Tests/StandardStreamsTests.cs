using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>Drover started with a standard stream closed gets /dev/null there, never one of its own files.</summary>
public sealed class StandardStreamsTests
{
    [Theory]
    [InlineData(">&-", 1)]
    [InlineData("2>&-", 2)]
    [InlineData("<&-", 0)]
    public async Task A_closed_standard_stream_becomes_dev_null(string redirect, int fd)
    {
        using var app = TempApp.Create().WithProcfile("w: touch ran; exec sleep 1000");
        using var drover = DroverProcess.StartThroughShell(app.Root, $"exec \"$0\" \"$@\" {redirect}", "start", "-p", $"{TestPorts.RandomBase()}");

        await Eventually.HoldsAsync(() => app.Exists("ran"), DroverProcess.Patience, () => "w never ran\n" + drover.Dump());

        Assert.Equal("/dev/null", new FileInfo($"/proc/{drover.Pid}/fd/{fd}").LinkTarget);
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }
}
