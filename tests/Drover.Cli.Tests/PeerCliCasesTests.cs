using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// `start`, `run`, `check` and exit-code cases from the peers' own suites (issue #14 item 7), each naming its
/// source: Foreman spec/foreman/cli_spec.rb (with its spec/resources), honcho tests/integration, node-foreman test/.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PeerCliCasesTests
{
    // Foreman's spec/resources: a Procfile of small scripts and a .env with FOO=bar.
    private static TempApp ForemanResources() => TempApp.Create()
        .WithProcfile("echo: bin/echo echoing", "env:  bin/env  FOO", "test: bin/test", "ps:   bin/echo PS env var is $PS")
        .WithFile("bin/echo", "#!/bin/sh", "echo \"$*\"")
        .WithFile("bin/env", "#!/bin/bash", "echo ${!1}")
        .WithFile("bin/test", "#!/bin/sh", "echo \"testing\"")
        .WithEnv("FOO=bar")
        .Executable("bin/echo", "bin/env", "bin/test");

    private static Task<DroverResult> Drover(TempApp app, params string[] args) => DroverProcess.RunAsync(app.Root, args);

    [Fact]
    public async Task Foreman_start_can_run_a_single_command()
    {
        using var app = ForemanResources();

        var result = await Drover(app, "start", "env", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "env.1" && l.Text == "bar");
        Assert.DoesNotContain(result.Lines, l => l.Name == "test.1");
    }

    [Fact]
    public async Task Foreman_start_can_run_all_commands_and_sets_PS()
    {
        using var app = ForemanResources();

        var result = await Drover(app, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "echo.1" && l.Text == "echoing");
        Assert.Contains(result.Lines, l => l.Name == "env.1" && l.Text == "bar");
        Assert.Contains(result.Lines, l => l.Name == "test.1" && l.Text == "testing");
        Assert.Contains(result.Lines, l => l.Name == "ps.1" && l.Text == "PS env var is ps.1");
    }

    // Foreman "fails if process fails" (Procfile.bad: good: sleep 1, bad: false). Drover restarts a failed
    // process by default; --stop-on-exit is Foreman's behaviour.
    [Fact]
    public async Task Foreman_start_fails_if_a_process_fails_with_stop_on_exit()
    {
        using var app = TempApp.Create().WithProcfile("good: sleep 1", "bad: false");

        var result = await Drover(app, "start", "--stop-on-exit", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 1, result.ToString());
    }

    // honcho test_start_returncode: the exiting process's code is Drover's (with --stop-on-exit, as Foreman).
    // node-foreman test/exit-with-code-gracefully.test.sh: a code above 128 that is not a signal (132).
    [Theory]
    [InlineData("exit 42", 42)]
    [InlineData("sleep 0.1; exit 132", 132)]
    public async Task Honcho_and_node_foreman_exit_code_of_the_process(string command, int expected)
    {
        using var app = TempApp.Create().WithProcfile($"foo: {command}");

        var result = await Drover(app, "start", "--stop-on-exit", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == expected, result.ToString());
    }

    // honcho test_start / test_start_env: stdout and stderr both shown; .env applied.
    [Fact]
    public async Task Honcho_start_shows_stderr_and_reads_env()
    {
        using var app = TempApp.Create().WithProcfile("foo: echo ${ANIMAL:-elephant}; echo error output >&2").WithEnv("ANIMAL=giraffe");

        var result = await Drover(app, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "foo.1" && l.Text == "giraffe");
        Assert.Contains(result.Lines, l => l.Name == "foo.1" && l.Text == "error output");
    }

    // Foreman run: "can run a command", "doesn't parse options for the command", "includes the environment",
    // "can run a command from the Procfile", "exits with the same exit code as the command".
    [Fact]
    public async Task Foreman_run_cases()
    {
        using var app = ForemanResources();

        var echo = await Drover(app, "run", "echo", "1");
        var grep = await Drover(app, "run", "grep", "-e", "FOO", ".env");
        var env = await Drover(app, "run", "-e", ".env", "bin/env", "FOO");
        var type = await Drover(app, "run", "-f", "Procfile", "test");
        var failing = await Drover(app, "run", "date", "invalid_date");

        Assert.Equal((0, "1"), (echo.ExitCode, echo.Stdout));
        Assert.Equal((0, "FOO=bar"), (grep.ExitCode, grep.Stdout));
        Assert.Equal((0, "bar"), (env.ExitCode, env.Stdout));
        Assert.Equal((0, "testing"), (type.ExitCode, type.Stdout));
        Assert.Equal(1, failing.ExitCode);
    }

    // honcho test_run, test_run_env, test_run_options_positionals_separator: no Procfile needed; `--` accepted;
    // stderr passed through.
    [Fact]
    public async Task Honcho_run_cases()
    {
        using var plain = TempApp.Create();
        using var withEnv = TempApp.Create().WithEnv("ANIMAL=giraffe");
        const string Script = "echo ${ANIMAL:-elephant}; echo error output >&2";

        var run = await Drover(plain, "run", "sh", "-c", Script);
        var env = await Drover(withEnv, "run", "sh", "-c", Script);
        var separator = await Drover(plain, "run", "--", "sh", "-c", Script);

        Assert.Equal((0, "elephant"), (run.ExitCode, run.Stdout));
        Assert.Contains("error output", run.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "giraffe"), (env.ExitCode, env.Stdout));
        Assert.Equal((0, "elephant"), (separator.ExitCode, separator.Stdout));
    }

    // Foreman check: a valid Procfile lists the types; a blank one and a missing one are errors (Drover: exit 2).
    [Fact]
    public async Task Foreman_check_cases()
    {
        using var valid = TempApp.Create().WithProcfile("alpha: ./alpha", "bravo:\t./bravo", "foo_bar:\t./foo_bar", "foo-bar:\t./foo-bar", "# baz:\t./baz");
        using var blank = TempApp.Create().WithProcfile("");
        using var missing = TempApp.Create();

        var ok = await Drover(valid, "check");
        var empty = await Drover(blank, "check");
        var none = await Drover(missing, "check");

        Assert.True(ok.ExitCode == 0, ok.ToString());
        foreach (string type in new[] { "alpha", "bravo", "foo_bar", "foo-bar" })
        {
            Assert.Contains(ok.StdoutLines, l => l.StartsWith(type + " ", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(ok.StdoutLines, l => l.StartsWith("baz", StringComparison.Ordinal));
        Assert.Equal(2, empty.ExitCode);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("cannot read Procfile", none.Stderr, StringComparison.Ordinal);
    }

    // node-foreman test/fixtures/procfile-comment: commented lines do not run, the others do.
    [Fact]
    public async Task Node_foreman_commented_Procfile_lines_do_not_run()
    {
        using var app = TempApp.Create().WithProcfile("#norun: touch should-not-exist.js", "run: touch should-exist.js", "# norun: touch should-not-exist-2.js");

        var result = await Drover(app, "start", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(app.Exists("should-exist.js"));
        Assert.False(app.Exists("should-not-exist.js"));
        Assert.False(app.Exists("should-not-exist-2.js"));
    }
}
