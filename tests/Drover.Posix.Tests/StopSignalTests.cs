using Drover.Core.Supervision;

namespace Drover.Posix.Tests;

/// <summary>A type's stop signal reaches the whole group as the signal it names.</summary>
public sealed class StopSignalTests
{
    [Theory]
    [InlineData(StopSignal.Interrupt, "INT")]
    [InlineData(StopSignal.Quit, "QUIT")]
    [InlineData(StopSignal.User1, "USR1")]
    [InlineData(StopSignal.Hangup, "HUP")]
    public async Task The_named_signal_is_delivered_to_the_group(StopSignal signal, string name)
    {
        var launcher = new PosixProcessLauncher(reapOrphans: false);
        var output = new CollectingSink();
        var process = launcher.Start(
            new ProcessSpec("t.1", $"trap 'echo got {name}; exit 0' {name}; echo armed; while :; do sleep 0.05; done", Path.GetTempPath(),
                new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }),
            output, _ => { });
        await Eventually.Until(() => output.Text.Contains("armed"));

        Assert.True(process.Signal(signal));

        Assert.Equal(ExitStatus.Exited(0), await process.Exited.WaitAsync(Eventually.Patience));
        Assert.Contains($"got {name}", output.Text);
        process.Kill();
    }

    [Fact]
    public void Settings_numbers_map_to_the_typed_choice_and_back()
    {
        Assert.True(StopSignals.TryFromNumber(2, out var s));
        Assert.Equal(StopSignal.Interrupt, s);
        Assert.Equal(15, StopSignals.Number(StopSignal.Terminate));
        Assert.False(StopSignals.TryFromNumber(17, out _));
        Assert.Equal("SIGQUIT", StopSignals.Name(StopSignal.Quit));
    }
}
