using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>A command without shell syntax is started without <c>/bin/sh -c</c>, and cannot tell the difference.</summary>
public sealed class DirectExecTests
{
    [Fact]
    public async Task A_command_without_shell_syntax_is_the_process_Drover_started()
    {
        using var app = TempApp.Create()
            .WithFile("probe.sh", "echo \"args $# $*\"", "echo \"pid $$ parent $PPID\"")
            .WithProcfile("direct: sh probe.sh one  two", "shelled: sh probe.sh 'one' two");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp");

        Assert.Equal(0, await drover.WaitForExitAsync());

        Assert.Contains("args 2 one two", drover.TextOf("direct.1"));
        Assert.Contains("args 2 one two", drover.TextOf("shelled.1"));
        // No shell in between: the pid Drover reports is the program's own, and Drover is its parent.
        int pid = await drover.WaitForStartAsync("direct.1");
        Assert.Contains($"pid {pid} parent {drover.Pid}", drover.TextOf("direct.1"));
    }

    [Fact]
    public async Task A_program_started_directly_gets_PWD_as_the_shell_would_export_it()
    {
        using var app = TempApp.Create().WithProcfile("env: env");
        string physical = new DirectoryInfo(app.Root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? app.Root;

        var withoutPwd = await DroverProcess.RunAsync(app.Root, ["start", "--no-timestamp"], new Dictionary<string, string?> { ["PWD"] = null });

        Assert.True(withoutPwd.ExitCode == 0, withoutPwd.ToString());
        Assert.Contains(withoutPwd.Lines, l => l.Name == "env.1" && l.Text == $"PWD={physical}");
        Assert.Single(withoutPwd.Lines, l => l.Name == "env.1" && l.Text.StartsWith("PWD=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_program_gets_the_shells_message()
    {
        using var app = TempApp.Create().WithProcfile("ghost: drover-test-no-such-program");

        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp");
        await drover.WaitForOutputAsync("ghost.1", "/bin/sh: 1: drover-test-no-such-program: not found");
        await drover.WaitForSystemAsync("ghost.1 exited with code 127");
        drover.Signal(UnixSignal.Terminate);
        await drover.WaitForExitAsync();
    }
}
