using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Issue #14 item 4: Foreman's `.foreman` defaults file (foreman(1), DEFAULT OPTIONS) and its spellings
/// (-c, version, -v, help COMMAND).
/// </summary>
public sealed class ForemanDefaultsTests
{
    [Fact]
    public async Task Dot_foreman_sets_formation_and_port_as_in_Foremans_man_page()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("alpha: echo alpha", "bravo: echo bravo $PORT")
            .WithFile(".foreman", "# defaults", "formation: alpha=0,bravo=1", $"port: {port}");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"bravo.1 | bravo {port + 100}", result.StdoutLines);
        Assert.DoesNotContain(result.StdoutLines, l => l.StartsWith("alpha", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Command_line_flags_win_over_dot_foreman()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("alpha: echo alpha $PORT", "bravo: echo bravo")
            .WithFile(".foreman", "formation: alpha=0,bravo=1", "port: 1");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-m", "alpha=1,bravo=0", "-p", $"{port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"alpha.1 | alpha {port}", result.StdoutLines);
        Assert.DoesNotContain(result.StdoutLines, l => l.StartsWith("bravo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dot_foreman_names_the_procfile_env_root_and_timeout()
    {
        using var app = TempApp.Create()
            .WithFile("app/Procfile.dev", "web: echo $GREETING from $(pwd -P)")
            .WithFile("conf/dev.env", "GREETING=hello")
            .WithFolder("work")
            .WithFile(".foreman", "procfile: app/Procfile.dev", "env: conf/dev.env", "root: work", "timeout: 0");

        var check = await DroverProcess.RunAsync(app.Root, "check");
        var run = await DroverProcess.RunAsync(app.Root, "run", "web");

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains(check.StdoutLines, l => l.Contains(app.PathOf("conf/dev.env"), StringComparison.Ordinal));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([$"hello from {app.PathOf("work")}"], run.StdoutLines);
    }

    [Theory]
    [InlineData("port: abc", ".foreman:1:7: port: expected a whole number from 1 to 65535")]
    [InlineData("timeout: -1", ".foreman:1:10: timeout: expected a whole number")]
    [InlineData("formation: alpha=x", ".foreman:1:12: count 'x' for 'alpha' is not a whole number")]
    [InlineData("port: [1, 2]", ".foreman:1:7: 'port' must have a single value")]
    [InlineData("just text", ".foreman:1:1: expected 'key: value' lines")]
    [InlineData("port: 1\n bad: : x", ".foreman:2:")]
    public async Task A_bad_dot_foreman_is_an_error_naming_file_and_line_and_nothing_starts(string text, string expected)
    {
        using var app = TempApp.Create().WithProcfile("alpha: touch ran").WithFile(".foreman", text);

        var result = await DroverProcess.RunAsync(app.Root, "start");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.False(app.Exists("ran"));
    }

    [Fact]
    public async Task Keys_Drover_does_not_read_are_a_warning()
    {
        using var app = TempApp.Create().WithProcfile("alpha: true").WithFile(".foreman", "app: myapp", "port: 7000");

        var result = await DroverProcess.RunAsync(app.Root, "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(".foreman:1:1: warning: 'app' is ignored", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(result.StdoutLines, l => l.Contains("alpha.1:7000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version")]
    [InlineData("-v")]
    [InlineData("--version")]
    public async Task Every_Foreman_spelling_of_version_prints_it(string word)
    {
        using var app = TempApp.Create();

        var result = await DroverProcess.RunAsync(app.Root, word);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", Assert.Single(result.StdoutLines));
    }

    [Fact]
    public async Task Help_COMMAND_is_the_commands_help()
    {
        using var app = TempApp.Create();

        var help = await DroverProcess.RunAsync(app.Root, "help", "start");
        var flag = await DroverProcess.RunAsync(app.Root, "start", "--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Equal(flag.Stdout, help.Stdout);
        Assert.Contains("--stop-on-exit", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dash_c_forces_colors_as_Foremans_color_flag()
    {
        using var app = TempApp.Create().WithProcfile("alpha: echo hi");

        var result = await DroverProcess.RunAsync(app.Root, "start", "-c");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\u001b[", result.Stdout, StringComparison.Ordinal);
    }
}
