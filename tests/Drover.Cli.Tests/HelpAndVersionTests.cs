using System.Text.RegularExpressions;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>What drover says about itself.</summary>
public sealed class HelpAndVersionTests
{
    [Fact]
    public async Task Help_lists_the_commands_and_the_exit_codes()
    {
        using var app = TempApp.Create();

        var result = await DroverProcess.RunAsync(app.Root, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string command in new[] { "start", "run", "check" })
        {
            Assert.Contains(result.StdoutLines, l => Regex.IsMatch(l, $@"^\s+{command}\b"));
        }
        Assert.Contains("Exit codes", result.Stdout, StringComparison.Ordinal);
        foreach (string code in new[] { "0", "1", "2" })
        {
            Assert.Contains(result.StdoutLines, l => Regex.IsMatch(l, $@"^\s+{code}\s+\S"));
        }
    }

    [Fact]
    public async Task Help_of_start_lists_its_flags()
    {
        using var app = TempApp.Create();

        var result = await DroverProcess.RunAsync(app.Root, "start", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string flag in new[] { "--procfile", "--env", "--root", "--formation", "--port", "--timeout", "--restart", "--stop-on-exit", "--no-timestamp" })
        {
            Assert.Contains(flag, result.Stdout, StringComparison.Ordinal);
        }
        // Issue #14: the help says how a CI job written for Foreman should call Drover.
        Assert.Contains("written for `foreman start` should call `drover start --stop-on-exit`", Regex.Replace(result.Stdout, @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_a_version_number()
    {
        using var app = TempApp.Create();

        var result = await DroverProcess.RunAsync(app.Root, "--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", Assert.Single(result.StdoutLines));
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        using var app = TempApp.Create();

        var result = await DroverProcess.RunAsync(app.Root, "strat");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("drover:", result.Stderr, StringComparison.Ordinal);
    }
}
