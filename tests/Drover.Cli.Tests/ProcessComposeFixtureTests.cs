using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// <c>drover start -f process-compose.yaml</c> on process-compose's own fixture files (Fixtures/process-compose):
/// the supported subset runs with the same outcome, and each key Drover does not support is named with its line.
/// Start order by depends_on and ordered shutdown are the probes work's (issue #16 items 3 and 5); here the
/// order is checked through `drover check`.
/// </summary>
public sealed class ProcessComposeFixtureTests
{
    private static TempApp AppWith(string fixture, string as_ = "process-compose.yaml")
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "process-compose", fixture);
        var app = TempApp.Create();
        File.Copy(source, app.PathOf(as_));
        return app;
    }

    private static string[] Start(params string[] more) =>
        ["start", "-f", "process-compose.yaml", "--no-timestamp", "--no-color", "-p", $"{TestPorts.RandomBase()}", .. more];

    [Fact]
    public async Task The_chain_runs_every_process_once_and_drover_exits_0_when_all_completed()
    {
        using var app = AppWith("process-compose-chain.yaml");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.True(run.ExitCode == 0, run.ToString());
        for (int i = 1; i <= 8; i++)
        {
            Assert.Equal([$"process{i}"], run.Lines.Where(l => l.Name == $"process{i}.1").Select(l => l.Text));
        }
        Assert.Contains("all processes finished", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_shows_the_chains_order_one_type_per_level()
    {
        using var app = AppWith("process-compose-chain.yaml");

        var run = await DroverProcess.RunAsync(app.Root, "check", "-f", "process-compose.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("start order  1: process8  2: process7  3: process6  4: process5  5: process4  6: process3  7: process2  8: process1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("restart: on_failure, 2 s between restarts", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("depends on: process3 (process_completed_successfully)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_shows_the_rhombus_with_its_two_branches_on_one_level()
    {
        using var app = AppWith("process-compose-chain-rhombus.yaml");

        var run = await DroverProcess.RunAsync(app.Root, "check", "-f", "process-compose.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("start order  1: process8  2: process6, process7  3: process5", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_on_failure_ends_drover_with_the_failing_code()
    {
        using var app = AppWith("process-compose-chain-exit.yaml");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.True(run.ExitCode == 42, run.ToString());
        Assert.Contains("process8.1 failed and its type has restart: exit_on_failure: stopping the formation", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicas_start_that_many_instances()
    {
        using var app = AppWith("process-compose-scale.yaml");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["process1"], run.Lines.Where(l => l.Name == "process1.1").Select(l => l.Text));
        Assert.Equal(["process1"], run.Lines.Where(l => l.Name == "process1.2").Select(l => l.Text));
        Assert.DoesNotContain(run.Lines, l => l.Name == "process1.3");
    }

    [Fact]
    public async Task An_env_file_is_read_relative_to_the_working_dir_and_a_double_dollar_is_a_dollar()
    {
        // The fixture's working_dir is ../../fixtures-code/ (process-compose's tests run two folders down).
        using var app = TempApp.Create();
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "process-compose");
        app.WithFolder("fixtures-code").WithFolder("src/app");
        File.Copy(Path.Combine(fixtures, ".env.test"), app.PathOf("fixtures-code/.env.test"));
        File.Copy(Path.Combine(fixtures, "process-compose-env-file.yaml"), app.PathOf("src/app/process-compose.yaml"));

        var run = await DroverProcess.RunAsync(app.PathOf("src/app"), Start());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["My name is Inigo_Montoya"], run.Lines.Where(l => l.Name == "test_env_file.1").Select(l => l.Text));
    }

    [Fact]
    public async Task A_dependency_cycle_is_named_and_nothing_starts()
    {
        using var app = AppWith("process-compose-circular.yaml");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{app.PathOf("process-compose.yaml")}:6: process1.depends_on: dependency cycle process1 -> process2 -> process1", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("started with pid", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_non_circular_twin_is_accepted()
    {
        using var app = AppWith("process-compose-non-circular.yaml");

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Theory]
    [InlineData("process-compose-transitive-dep.yaml", "3:1: settings file: 'log_level' is not supported by Drover")]
    [InlineData("process-compose-transitive-dep.yaml", "4:1: settings file: 'log_length' is not supported by Drover")]
    [InlineData("process-compose-shutdown-inorder.yaml", "3:1: settings file: 'log_level' is not supported by Drover")]
    [InlineData("process-compose-success-exit-on-end.yaml", "10:5: signal_exit: 'success_exit_codes' is not supported by Drover")]
    [InlineData("process-compose-success-exit-on-end.yaml", "12:7: signal_exit.availability: 'exit_on_end' is not supported by Drover")]
    [InlineData("process-compose-dependent-on-failing-log-line.yml", "1:1: settings file: 'log_level' is not supported by Drover")]
    [InlineData("process-compose-chain-with-errors.yaml", "2:1: settings file: 'log_level' is not supported by Drover")]
    public async Task Each_unsupported_key_is_named_with_its_line_and_nothing_starts(string fixture, string expected)
    {
        using var app = AppWith(fixture);

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{app.PathOf("process-compose.yaml")}:{expected}", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("started with pid", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("process-compose-many-for-one.yaml")]
    [InlineData("process-compose-one-for-many.yaml")]
    [InlineData("process-compose-chain-rhombus.yaml")]
    public async Task Every_supported_fixture_runs_to_a_clean_finish(string fixture)
    {
        using var app = AppWith(fixture);

        var run = await DroverProcess.RunAsync(app.Root, Start());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("all processes finished", run.Stdout, StringComparison.Ordinal);
    }
}
