using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary><c>drover run</c>: one command in the app's environment, its exit code passed through.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task The_exit_code_of_the_command_is_drovers()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "sh", "-c", "exit 5");

        Assert.True(result.ExitCode == 5, result.ToString());
    }

    [Fact]
    public async Task The_command_sees_the_env_file_and_runs_in_the_app_root()
    {
        using var app = TempApp.Create().WithFile("app/Procfile", "web: true").WithFile("app/.env", "GREETING=hello from env").WithFolder("elsewhere");

        var result = await DroverProcess.RunAsync(
            app.PathOf("elsewhere"), "run", "-f", app.PathOf("app/Procfile"), "--", "sh", "-c", "echo \"$GREETING in $(pwd -P)\"");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"hello from env in {app.PathOf("app")}"], result.StdoutLines);
    }

    [Fact]
    public async Task Arguments_after_the_double_dash_are_passed_as_given()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "printf", "[%s]\\n", "two words", "$HOME", "*");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["[two words]", "[$HOME]", "[*]"], result.StdoutLines);
    }

    [Fact]
    public async Task A_Procfile_type_name_runs_that_types_command()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"web command with $GREETING\"; exit 3").WithEnv("GREETING=env");

        var result = await DroverProcess.RunAsync(app.Root, "run", "web");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(["web command with env"], result.StdoutLines);
    }

    [Fact]
    public async Task A_single_word_that_is_not_a_type_runs_as_a_shell_command_line()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "run", "echo one && echo two; exit 4");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(["one", "two"], result.StdoutLines);
    }

    [Fact]
    public async Task An_unknown_program_exits_127_with_a_message()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "no-such-program-for-drover", "arg");

        Assert.True(result.ExitCode == 127, result.ToString());
        Assert.Contains("no-such-program-for-drover", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_line_exits_127_from_the_shell()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "run", "no-such-program-for-drover");

        Assert.True(result.ExitCode == 127, result.ToString());
        Assert.Contains("no-such-program-for-drover", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_sent_to_drover_as_soon_as_the_command_runs_is_passed_on_to_it()
    {
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            using var app = TempApp.Create().WithProcfile("web: true");
            using var drover = DroverProcess.Start(
                app.Root, "run", "--", "sh", "-c",
                "trap 'kill $child; echo got TERM; exit 9' TERM; sh -c 'echo up; exec sleep 1000' & child=$!; echo \"pid $$\"; echo \"pid $child\"; echo ready; wait");
            // "up" comes from the background job itself: only then has it left the window in which dash's forked
            // child still carries the parent's trap and would swallow a SIGTERM (a shell race, not drover's).
            await drover.Stdout.WaitForLineAsync(l => l == "ready", DroverProcess.Patience);
            await drover.Stdout.WaitForLineAsync(l => l == "up", DroverProcess.Patience);
            // The command shares drover's process group, not a session of its own: track it by pid.
            drover.KillOnDispose(drover.Stdout.Lines
                .Where(l => l.StartsWith("pid ", StringComparison.Ordinal))
                .Select(l => TrackedProcess.Capture(int.Parse(l["pid ".Length..], System.Globalization.CultureInfo.InvariantCulture))));

            drover.Signal(UnixSignal.Terminate);

            int code = await drover.WaitForExitAsync(outputToo: false);
            Assert.True(code == 9, $"attempt {attempt}: drover exited with code {code}, not the command's 9\n{drover.Dump()}");
            await drover.WaitForExitAsync();
            Assert.Equal(["pid", "pid", "ready", "got TERM"], drover.Stdout.Lines.Where(l => l != "up").Select(l => l.Split(' ')[0] == "pid" ? "pid" : l));
        }
    }

    [Fact]
    public async Task An_error_in_the_env_file_exits_2_and_runs_nothing()
    {
        using var app = TempApp.Create().WithProcfile("web: true").WithEnv("1BAD=x");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "touch", "ran");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{app.PathOf(".env")}:1:", result.Stderr, StringComparison.Ordinal);
        Assert.False(app.Exists("ran"));
    }

    // Issue #14 item 2; honcho tests/integration/test_run.py runs `honcho run` in a folder with only a .env.
    [Fact]
    public async Task A_command_runs_without_a_Procfile()
    {
        using var app = TempApp.Create().WithEnv("ANIMAL=giraffe");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--", "sh", "-c", "echo $ANIMAL");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["giraffe"], result.StdoutLines);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task A_command_runs_despite_a_broken_Procfile()
    {
        using var app = TempApp.Create().WithProcfile("web: true", "not a valid line").WithEnv("ANIMAL=giraffe");

        var several = await DroverProcess.RunAsync(app.Root, "run", "printenv", "ANIMAL");
        var one = await DroverProcess.RunAsync(app.Root, "run", "echo $ANIMAL");

        Assert.True(several.ExitCode == 0, several.ToString());
        Assert.Equal(["giraffe"], several.StdoutLines);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(["giraffe"], one.StdoutLines);
        Assert.Contains("warning: ignoring", one.Stderr);
    }

    [Fact]
    public async Task Running_a_type_of_a_broken_Procfile_is_an_error_naming_the_line()
    {
        using var app = TempApp.Create().WithProcfile("web: true", "not a valid line");

        var result = await DroverProcess.RunAsync(app.Root, "run", "web");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Procfile:2:1:", result.Stderr);
    }

    // Issue #14 item 3: Foreman passes every word after the command to the command.
    [Fact]
    public async Task Options_after_the_commands_first_word_belong_to_the_command()
    {
        using var app = TempApp.Create().WithEnv("FOO=1", "BAR=2");

        var result = await DroverProcess.RunAsync(app.Root, "run", "grep", "-e", "FOO", ".env");
        var withOwnOptions = await DroverProcess.RunAsync(app.Root, "run", "-e", ".env", "sh", "-c", "echo $BAR", "-d", "x");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["FOO=1"], result.StdoutLines);
        Assert.True(withOwnOptions.ExitCode == 0, withOwnOptions.ToString());
        Assert.Equal(["2"], withOwnOptions.StdoutLines);
    }

    [Fact]
    public async Task An_unknown_option_before_the_command_is_a_usage_error()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "run", "--watch", "echo", "hi");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("unknown option '--watch'", result.Stderr);
        Assert.Empty(result.StdoutLines);
    }
}
