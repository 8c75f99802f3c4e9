using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary><c>drover check</c>: validates the app and shows what <c>start</c> would run, without running it.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_lists_each_type_with_its_instances_and_their_ports()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("web: touch web-ran", "worker: touch worker-ran", "clock: touch clock-ran");

        var result = await DroverProcess.RunAsync(app.Root, "check", "-p", $"{port}", "-m", "web=2,clock=1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.StartsWith("web ", StringComparison.Ordinal)
            && l.Contains($"x2  web.1:{port} web.2:{port + 1}  $ touch web-ran", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("worker ", StringComparison.Ordinal)
            && l.Contains("x0  (not started)  $ touch worker-ran", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("clock ", StringComparison.Ordinal)
            && l.Contains($"x1  clock.1:{port + 200}  $ touch clock-ran", StringComparison.Ordinal));
        Assert.False(app.Exists("web-ran") || app.Exists("worker-ran") || app.Exists("clock-ran"), "check ran a process");
    }

    [Fact]
    public async Task Check_without_a_formation_counts_one_of_each_type_from_port_5000()
    {
        using var app = TempApp.Create().WithProcfile("web: true", "worker: true");

        var result = await DroverProcess.RunAsync(app.Root, "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.StartsWith("web ", StringComparison.Ordinal) && l.Contains("x1  web.1:5000  $ true", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("worker ", StringComparison.Ordinal) && l.Contains("x1  worker.1:5100  $ true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_names_the_env_files_and_variables_but_never_shows_values()
    {
        using var app = TempApp.Create().WithProcfile("web: true").WithEnv("SECRET_TOKEN=hunter2", "DATABASE_URL=postgres://u:pw@db/app");

        var result = await DroverProcess.RunAsync(app.Root, "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(app.PathOf(".env"), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("DATABASE_URL, SECRET_TOKEN", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("postgres://", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_a_malformed_Procfile_exits_2_naming_file_and_line()
    {
        using var app = TempApp.Create().WithProcfile("web: true", "oops");

        var result = await DroverProcess.RunAsync(app.Root, "check");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{app.PathOf("Procfile")}:2:", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.StdoutLines);
    }

    [Fact]
    public async Task Check_with_an_unknown_type_in_the_formation_exits_2()
    {
        using var app = TempApp.Create().WithProcfile("web: true");

        var result = await DroverProcess.RunAsync(app.Root, "check", "-m", "db=1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("-m:1:1:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'db'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_count_too_large_for_any_port_is_an_input_error_not_a_crash()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");

        var result = await DroverProcess.RunAsync(app.Root, "check", "-m", "web=2147483647");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("above 65535", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }
}
