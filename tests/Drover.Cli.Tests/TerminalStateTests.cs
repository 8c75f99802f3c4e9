using System.Diagnostics;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #14 item 5: Drover wrote ESC[?1h ESC= (keypad-transmit mode) to the terminal and never reset it. Each
/// command runs on a real pseudo-terminal under script(1), whose typescript records every byte sent to it.
/// </summary>
public sealed class TerminalStateTests
{
    private static async Task<string> UnderScriptAsync(TempApp app, string arguments)
    {
        string typescript = app.PathOf("typescript");
        var info = new ProcessStartInfo("script")
        {
            WorkingDirectory = app.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "-q", "-e", "-c", $"{DroverBinary.Path} {arguments}", typescript })
        {
            info.ArgumentList.Add(arg);
        }
        using var script = Process.Start(info)!;
        _ = script.StandardOutput.ReadToEndAsync();
        _ = script.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(DroverProcess.Patience);
        await script.WaitForExitAsync(patience.Token);
        return await File.ReadAllTextAsync(typescript);
    }

    [Theory]
    [InlineData("start --no-timestamp")]
    [InlineData("start --help")]
    [InlineData("--help")]
    [InlineData("help run")]
    [InlineData("check")]
    [InlineData("run echo ran")]
    [InlineData("version")]
    [InlineData("ps")]
    [InlineData("start --no-such-flag")]
    public async Task A_command_on_a_terminal_sends_it_no_mode_changes(string arguments)
    {
        using var app = TempApp.Create().WithProcfile("web: echo ran");

        string typescript = await UnderScriptAsync(app, arguments);

        Assert.True(typescript.Length > 0, "script recorded nothing");
        Assert.DoesNotContain("\u001b[?1h", typescript, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b=", typescript, StringComparison.Ordinal);
    }
}
