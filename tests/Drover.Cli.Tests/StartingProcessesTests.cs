using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary><c>drover start</c>: which processes run, and with what environment, ports and working directory.</summary>
public sealed class StartingProcessesTests
{
    [Fact]
    public async Task Each_instance_gets_its_own_PORT_PS_and_DYNO_by_Foremans_rule_counting_every_type()
    {
        using var app = TempApp.Create().WithProcfile(
            "a: echo \"env $PORT $PS $DYNO\"",
            "b: echo \"env $PORT $PS $DYNO\"",
            "c: echo \"env $PORT $PS $DYNO\"");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-m", "a=2,c=1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "a.1" && l.Text == "env 5000 a.1 a.1");
        Assert.Contains(result.Lines, l => l.Name == "a.2" && l.Text == "env 5001 a.2 a.2");
        Assert.Contains(result.Lines, l => l.Name == "c.1" && l.Text == "env 5200 c.1 c.1");
        Assert.DoesNotContain(result.Lines, l => l.Name.StartsWith("b.", StringComparison.Ordinal) || l.Text.StartsWith("b.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_started_message_names_the_pid_and_port_of_each_instance()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("web: echo \"my pid is $$\"", "worker: echo \"my pid is $$\"");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var (name, expectedPort) in new[] { ("web.1", port), ("worker.1", port + 100) })
        {
            string said = Assert.Single(result.Lines, l => l.Name == name).Text;
            Assert.Contains(result.Lines, l => l.Name == "system" && l.Text == $"{name} started with pid {said["my pid is ".Length..]} on port {expectedPort}");
        }
    }

    [Fact]
    public async Task The_port_flag_sets_the_base_port()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"port $PORT\"", "worker: echo \"port $PORT\"");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", "6000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "port 6000");
        Assert.Contains(result.Lines, l => l.Name == "worker.1" && l.Text == "port 6100");
    }

    [Fact]
    public async Task PORT_from_the_env_file_sets_the_base_port()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo \"port $PORT\"", "worker: echo \"port $PORT\"")
            .WithEnv("PORT=7000");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "port 7000");
        Assert.Contains(result.Lines, l => l.Name == "worker.1" && l.Text == "port 7100");
    }

    [Fact]
    public async Task The_port_flag_wins_over_PORT_from_the_env_file()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"port $PORT\"").WithEnv("PORT=7000");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", "6000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "port 6000");
    }

    [Fact]
    public async Task Variables_from_the_default_env_file_reach_the_processes()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo \"greeting=$GREETING quoted=$QUOTED\"")
            .WithEnv("GREETING=hello", "QUOTED=\"two words\"");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "greeting=hello quoted=two words");
    }

    [Fact]
    public async Task Env_files_given_with_e_are_read_in_order_and_later_ones_win()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo \"X=$X Y=$Y Z=$Z\"")
            .WithEnv("Z=from-default-env-file-which-is-not-read")
            .WithFile("first.env", "X=first", "Y=only-in-first")
            .WithFile("second.env", "X=second", "Z=\"${Y}-seen-from-second\"");

        var result = await DroverProcess.RunAsync(
            app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-e", "first.env", "-e", "second.env");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "X=second Y=only-in-first Z=only-in-first-seen-from-second");
    }

    [Fact]
    public async Task Env_files_override_the_environment_drover_was_started_with()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"X=$X OSONLY=$OSONLY\"").WithEnv("X=fromenv");
        var os = new Dictionary<string, string?> { ["X"] = "fromos", ["OSONLY"] = "inherited" };

        var result = await DroverProcess.RunAsync(app.Root, ["start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}"], os);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "X=fromenv OSONLY=inherited");
    }

    [Fact]
    public async Task Processes_run_in_the_Procfiles_folder_by_default()
    {
        using var app = TempApp.Create().WithFile("project/Procfile", "web: pwd -P").WithFolder("elsewhere");

        var result = await DroverProcess.RunAsync(
            app.PathOf("elsewhere"), "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-f", app.PathOf("project/Procfile"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == app.PathOf("project"));
    }

    [Fact]
    public async Task The_root_flag_sets_the_working_directory_and_where_the_default_env_file_is_read()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: echo \"$(pwd -P) $WHERE\"")
            .WithEnv("WHERE=procfile-folder")
            .WithFile("root/.env", "WHERE=root-folder");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-d", "root");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == $"{app.PathOf("root")} root-folder");
    }

    [Fact]
    public async Task Only_the_types_named_on_the_command_line_run()
    {
        using var app = TempApp.Create().WithProcfile(
            "web: echo web ran",
            "worker: touch worker-ran; echo worker ran",
            "clock: touch clock-ran; echo clock ran");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "web");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "web ran");
        Assert.DoesNotContain(result.Lines, l => l.Raw.Contains("worker", StringComparison.Ordinal) || l.Raw.Contains("clock", StringComparison.Ordinal));
        Assert.False(app.Exists("worker-ran"));
        Assert.False(app.Exists("clock-ran"));
    }

    [Fact]
    public async Task A_formation_runs_that_many_instances_of_each_type()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile("web: echo \"I am $PS\"", "worker: echo \"I am $PS\"");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{port}", "-m", "web=3,worker=2");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] expected = ["web.1", "web.2", "web.3", "worker.1", "worker.2"];
        Assert.Equal(expected, result.Lines.Where(l => l.Name != "system").Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.All(result.Lines.Where(l => l.Name != "system"), l => Assert.Equal($"I am {l.Name}", l.Text));
    }

    [Fact]
    public async Task All_in_the_formation_sets_the_count_of_every_type_not_named()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"I am $PS\"", "worker: echo \"I am $PS\"", "clock: echo \"I am $PS\"");

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "-m", "all=2,clock=0");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] expected = ["web.1", "web.2", "worker.1", "worker.2"];
        Assert.Equal(expected, result.Lines.Where(l => l.Name != "system").Select(l => l.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PORT_in_drovers_own_environment_sets_the_base_port()
    {
        using var app = TempApp.Create().WithProcfile("web: echo \"port $PORT\"", "worker: echo \"port $PORT\"");

        var result = await DroverProcess.RunAsync(app.Root, ["start", "--no-timestamp"], new Dictionary<string, string?> { ["PORT"] = "8000" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "port 8000");
        Assert.Contains(result.Lines, l => l.Name == "worker.1" && l.Text == "port 8100");
    }

    [Fact]
    public async Task A_Procfile_with_a_byte_order_mark_and_CRLF_line_ends_works()
    {
        using var app = TempApp.Create();
        File.WriteAllBytes(app.PathOf("Procfile"), [0xEF, 0xBB, 0xBF, .. "web: echo \"[$PS]\"\r\n\r\n# comment\r\nworker: echo \"[$PS]\"\r\n"u8]);

        var result = await DroverProcess.RunAsync(app.Root, "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.Name == "web.1" && l.Text == "[web.1]");
        Assert.Contains(result.Lines, l => l.Name == "worker.1" && l.Text == "[worker.1]");
    }
}
