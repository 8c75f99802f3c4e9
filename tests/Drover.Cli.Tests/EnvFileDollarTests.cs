using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #14 item 1 and issue #13 item 4: what a `$` in a .env file does, end to end. Foreman 0.87.2 expands
/// nothing; Drover expands only <c>${NAME}</c> inside double quotes, and boundedly.
/// </summary>
public sealed class EnvFileDollarTests
{
    [Fact]
    public async Task Values_Foreman_keeps_literally_reach_the_process_unchanged()
    {
        using var app = TempApp.Create().WithProcfile("web: true")
            .WithEnv("PASSWORD=pa$$word", "HASH=$2a$10$abcdef", "URL=u:p$ss@h", "SQ='x$HOME'", "HOST=db", "DQ=\"${HOST}:$PORT\"");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "sh", "-c", "printf '%s\\n' \"$PASSWORD\" \"$HASH\" \"$URL\" \"$SQ\" \"$DQ\"");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["pa$$word", "$2a$10$abcdef", "u:p$ss@h", "x$HOME", "db:$PORT"], result.StdoutLines);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task An_undefined_reference_is_a_warning_naming_file_and_line()
    {
        using var app = TempApp.Create().WithProcfile("web: true").WithEnv("A=1", "B=\"x${DROVER_TEST_UNDEFINED}y\"");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "printenv", "B");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["xy"], result.StdoutLines);
        Assert.Contains(".env:2:5: warning: ${DROVER_TEST_UNDEFINED} is not defined", result.Stderr);
    }

    private static string[] Bomb()
    {
        var lines = new List<string> { "A0=xxxxxxxxxx" };
        for (int k = 1; k <= 9; k++)
        {
            lines.Add($"A{k}=\"" + string.Concat(Enumerable.Repeat($"${{A{k - 1}}}", 10)) + "\"");
        }
        return [.. lines];
    }

    [Fact]
    public async Task An_expansion_bomb_is_refused_by_check_with_file_and_line_and_exit_2()
    {
        using var app = TempApp.Create().WithProcfile("web: true").WithEnv(Bomb());

        var result = await DroverProcess.RunAsync(app.Root, "check");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(".env:6:", result.Stderr);
        Assert.Contains(".env expansion is bounded", result.Stderr);
    }

    [Fact]
    public async Task A_reload_of_an_expansion_bomb_is_refused_and_the_formation_is_untouched()
    {
        using var app = TempApp.Create().WithProcfile("web: echo $GREETING; exec sleep 1000").WithEnv("GREETING=v1");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        int web = await drover.WaitForStartAsync("web.1");
        await drover.WaitForOutputAsync("web.1", "v1");

        app.WithEnv([.. Bomb(), "GREETING=v2"]);
        var reload = await DroverProcess.RunAsync(app.Root, "reload");

        Assert.True(reload.ExitCode != 0, reload.ToString());
        Assert.Contains(".env:6:", reload.Stderr);
        Assert.Contains("nothing changed", reload.Stderr);
        var ps = await DroverProcess.RunAsync(app.Root, "ps");
        Assert.Contains(ps.StdoutLines, l => l.StartsWith("web.1", StringComparison.Ordinal) && l.Contains($" {web} ", StringComparison.Ordinal));
        Assert.True(ProcessTable.IsRunning(web));
    }
}
