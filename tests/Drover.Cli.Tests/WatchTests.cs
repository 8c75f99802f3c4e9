using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// `drover start --watch`: real files written under a real formation. "Nothing happened" is never waited for: after
/// the writes that must restart nothing, a watched file is written as a sentinel, and its restart must be the only one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WatchTests
{
    private const string Restarting = "restarting (rolling)";

    // The process records each of its starts in a file outside what is watched.
    private const string Recorder = "web: echo \"start $$\" >> starts.txt; echo recorded; exec sleep 1000";

    private static IReadOnlyList<string> Restarts(DroverProcess drover) =>
        [.. drover.TextOf("system").Where(t => t.EndsWith(Restarting, StringComparison.Ordinal))];

    private static int Starts(TempApp app, string file = "starts.txt") =>
        File.Exists(app.PathOf(file)) ? File.ReadAllLines(app.PathOf(file)).Length : 0;

    private static async Task<DroverProcess> StartWatchingAsync(TempApp app, params string[] args)
    {
        // A quiet period far longer than any burst here, so a stall of this loaded machine cannot split one in two.
        var drover = DroverProcess.Start(app.Root, ["start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--watch-delay", "2", .. args]);
        await drover.WaitForSystemPrefixAsync("watching ");
        await drover.WaitForStartAsync("web.1");
        return drover;
    }

    [Fact]
    public async Task A_write_to_a_watched_file_restarts_its_type_once()
    {
        using var app = TempApp.Create().WithProcfile(Recorder, "worker: exec sleep 1000").WithFile("src/app.rb", "v1");
        using var drover = await StartWatchingAsync(app, "--watch", "web=src");

        await File.WriteAllTextAsync(app.PathOf("src/app.rb"), "v2");
        await drover.WaitForSystemAsync("web: src/app.rb changed; restarting (rolling)");
        await drover.WaitForStartAsync("web.1", occurrence: 2);

        await File.WriteAllTextAsync(app.PathOf("src/sentinel.rb"), "1");
        await drover.WaitForSystemAsync("web: src/sentinel.rb changed; restarting (rolling)");
        await drover.WaitForStartAsync("web.1", occurrence: 3);

        await drover.WaitForOutputAsync("web.1", "recorded", occurrence: 3);

        Assert.Equal(["web: src/app.rb changed; restarting (rolling)", "web: src/sentinel.rb changed; restarting (rolling)"], Restarts(drover));
        Assert.Equal(3, Starts(app));
        Assert.Equal(1, drover.TextOf("system").Count(t => t.StartsWith("worker.1 started", StringComparison.Ordinal)));
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task The_settings_files_watch_key_restarts_the_type_and_then_its_dependents()
    {
        using var app = TempApp.Create()
            .WithProcfile(Recorder, "worker: echo \"start $$\" >> worker-starts.txt; echo recorded; exec sleep 1000")
            .WithFile("src/app.rb", "v1")
            .WithFile("drover.yaml",
                "processes:",
                "  web:",
                "    watch:",
                "      paths: [src]",
                "      restart_dependents: true",
                "  worker:",
                "    depends_on:",
                "      web: {condition: process_started}");
        using var drover = await StartWatchingAsync(app);
        await drover.WaitForOutputAsync("worker.1", "recorded");

        await File.WriteAllTextAsync(app.PathOf("src/app.rb"), "v2");
        await drover.WaitForSystemAsync("web: src/app.rb changed; restarting (rolling), then its dependents (worker)");
        await drover.WaitForOutputAsync("web.1", "recorded", occurrence: 2);
        await drover.WaitForOutputAsync("worker.1", "recorded", occurrence: 2);

        Assert.Equal(2, Starts(app));
        Assert.Equal(2, Starts(app, "worker-starts.txt"));
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task A_burst_of_twenty_writes_restarts_it_once()
    {
        using var app = TempApp.Create().WithProcfile(Recorder).WithFile("src/app.rb", "v1");
        using var drover = await StartWatchingAsync(app, "--watch", "web=src/**/*.rb");

        for (int i = 0; i < 20; i++)
        {
            await File.AppendAllTextAsync(app.PathOf(i % 2 == 0 ? "src/app.rb" : "src/lib.rb"), $"line {i}\n");
        }
        await drover.WaitForSystemAsync("web: src/app.rb and 1 more changed; restarting (rolling)");
        await drover.WaitForStartAsync("web.1", occurrence: 2);

        await File.WriteAllTextAsync(app.PathOf("src/sentinel.rb"), "1");
        await drover.WaitForSystemAsync("web: src/sentinel.rb changed; restarting (rolling)");
        await drover.WaitForStartAsync("web.1", occurrence: 3);

        await drover.WaitForOutputAsync("web.1", "recorded", occurrence: 3);

        Assert.Equal(2, Restarts(drover).Count);
        Assert.Equal(3, Starts(app));
    }

    [Fact]
    public async Task Writes_under_git_node_modules_the_log_dir_and_gitignored_paths_restart_nothing()
    {
        // The whole app is watched; the process's own record of its starts is a gitignored write too.
        using var app = TempApp.Create()
            .WithProcfile("web: echo \"start $$\" >> tmp/starts.txt; echo started; exec sleep 1000")
            .WithFile(".gitignore", "tmp/", "*.tmp")
            .WithFile("tmp/.keep")
            .WithFile(".git/HEAD", "ref: refs/heads/main")
            .WithFile("node_modules/left-pad/index.js", "module.exports = 1")
            .WithFile("lib/node_modules/dep/index.js", "module.exports = 2")
            .WithFile("app.rb", "v1");
        using var drover = await StartWatchingAsync(app, "--watch", "web=.", "--log-dir", "var/logs");

        await File.WriteAllTextAsync(app.PathOf(".git/HEAD"), "ref: refs/heads/other");
        await File.WriteAllTextAsync(app.PathOf(".git/index.lock"), "x");
        await File.WriteAllTextAsync(app.PathOf("node_modules/left-pad/index.js"), "module.exports = 3");
        Directory.CreateDirectory(app.PathOf("node_modules/new-dep/lib"));
        await File.WriteAllTextAsync(app.PathOf("node_modules/new-dep/lib/x.js"), "1");
        await File.WriteAllTextAsync(app.PathOf("lib/node_modules/dep/index.js"), "module.exports = 4");
        await File.WriteAllTextAsync(app.PathOf("var/logs/extra.txt"), "x");
        await File.WriteAllTextAsync(app.PathOf("tmp/cache.rb"), "x");
        await File.WriteAllTextAsync(app.PathOf("debug.tmp"), "x");
        Directory.CreateDirectory(app.PathOf("tmp/deeper"));
        await File.WriteAllTextAsync(app.PathOf("tmp/deeper/x.rb"), "x");

        await File.WriteAllTextAsync(app.PathOf("app.rb"), "v2");
        await drover.WaitForSystemAsync("web: app.rb changed; restarting (rolling)");
        await drover.WaitForStartAsync("web.1", occurrence: 2);
        // The log directory got the new process's lines (more ignored writes) before this sentinel.
        await drover.WaitForOutputAsync("web.1", "started", occurrence: 2);
        await File.WriteAllTextAsync(app.PathOf("sentinel.rb"), "1");
        await drover.WaitForSystemAsync("web: sentinel.rb changed; restarting (rolling)");
        await drover.WaitForOutputAsync("web.1", "started", occurrence: 3);

        Assert.Equal(["web: app.rb changed; restarting (rolling)", "web: sentinel.rb changed; restarting (rolling)"], Restarts(drover));
        Assert.Equal(3, Starts(app, "tmp/starts.txt"));
        Assert.True(File.Exists(app.PathOf("var/logs/web.1.log")), drover.Dump());
    }

    [Fact]
    public async Task With_two_instances_the_restart_after_a_change_is_rolling_and_one_always_accepts()
    {
        int port = TestPorts.RandomBase();
        using var app = TempApp.Create().WithProcfile($"web: {Listener}").WithFile("src/app.rb", "v1");
        using var drover = DroverProcess.Start(app.Root, "start", "--no-timestamp", "-m", "web=2", "-p", $"{port}", "--watch", "web=src");
        await drover.WaitForSystemPrefixAsync("watching ");
        await drover.WaitForOutputAsync("web.1", $"listening on {port}");
        await drover.WaitForOutputAsync("web.2", $"listening on {port + 1}");

        using var stop = new CancellationTokenSource();
        var gaps = Task.Run(() => ListeningPorts.CountGaps(port, port + 1, stop.Token));
        // Written beside and renamed in, as many editors save: one event, whatever the machine's load (the default
        // 300 ms quiet period is kept here).
        await File.WriteAllTextAsync(app.PathOf("app.rb.new"), "v2");
        File.Move(app.PathOf("app.rb.new"), app.PathOf("src/app.rb"), overwrite: true);
        await drover.WaitForOutputAsync("web.1", $"listening on {port}", occurrence: 2);
        await drover.WaitForOutputAsync("web.2", $"listening on {port + 1}", occurrence: 2);
        await stop.CancelAsync();

        Assert.Equal(0, await gaps);
        // The states in order: web.2 is stopped only once web.1's replacement listens.
        var lines = drover.Lines.Select(l => $"{l.Name} | {l.Text}").ToList();
        int web1Stopped = lines.FindIndex(l => l.StartsWith("system | stopping web.1", StringComparison.Ordinal));
        int web1Back = lines.Select((l, i) => (l, i)).Where(x => x.l == $"web.1 | listening on {port}").Select(x => x.i).Skip(1).First();
        int web2Stopped = lines.FindIndex(l => l.StartsWith("system | stopping web.2", StringComparison.Ordinal));
        Assert.True(web1Stopped >= 0 && web1Stopped < web1Back && web1Back < web2Stopped, drover.Dump());
        Assert.Single(Restarts(drover));
    }

    [Fact]
    public async Task At_the_inotify_watch_limit_drover_names_the_limit_and_keeps_watching_what_it_could()
    {
        using var app = TempApp.Create()
            .WithProcfile(Recorder)
            .WithFile(".gitignore", "starts.txt")
            .WithFolder("a/b/c/d/e")
            .WithFolder("f/g/h");
        // A user namespace of its own with room for 3 watches (a per-namespace limit: nothing else is affected).
        using var drover = DroverProcess.StartThroughShell(
            app.Root,
            "exec unshare -Ur sh -c 'echo 3 > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"' \"$0\" \"$@\"",
            "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--watch", "web=.");

        var told = await drover.WaitForSystemPrefixAsync("watch: the inotify watch limit is reached (fs.inotify.max_user_watches is 3): 3 directories are watched");
        Assert.Contains("sysctl fs.inotify.max_user_watches=", told.Text, StringComparison.Ordinal);
        await drover.WaitForSystemAsync("watching 3 directories for changes (web)");
        await drover.WaitForStartAsync("web.1");

        // The root is watched first, so a change there still restarts.
        await File.WriteAllTextAsync(app.PathOf("app.rb"), "v2");
        await drover.WaitForSystemAsync("web: app.rb changed; restarting (rolling)");
        await drover.WaitForStartAsync("web.1", occurrence: 2);
        Assert.Single(drover.TextOf("system"), t => t.StartsWith("watch: the inotify watch limit", StringComparison.Ordinal));
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task Without_an_inotify_instance_left_drover_says_so_and_the_formation_runs()
    {
        using var app = TempApp.Create().WithProcfile("web: echo up; exec sleep 1000");
        using var drover = DroverProcess.StartThroughShell(
            app.Root,
            "exec unshare -Ur sh -c 'echo 0 > /proc/sys/user/max_inotify_instances && exec \"$0\" \"$@\"' \"$0\" \"$@\"",
            "start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", "--watch", "web=.");

        var told = await drover.WaitForSystemPrefixAsync("watch: cannot watch files: no inotify instance left (fs.inotify.max_user_instances is 0)");
        Assert.Contains("sysctl fs.inotify.max_user_instances=", told.Text, StringComparison.Ordinal);
        await drover.WaitForOutputAsync("web.1", "up");
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Theory]
    [InlineData("wbe=src", "drover: --watch: unknown process type 'wbe'; the Procfile defines: web")]
    [InlineData("src", "drover: --watch: 'src' is not TYPE=PATH[,PATH...] (e.g. web=src/**/*.rb,config)")]
    public async Task A_bad_watch_flag_is_a_usage_error_and_starts_nothing(string value, string error)
    {
        using var app = TempApp.Create().WithProcfile(Recorder);
        var result = await DroverProcess.RunAsync(app.Root, "start", "-p", $"{TestPorts.RandomBase()}", "--watch", value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(error, result.Stderr.Trim());
        Assert.Equal(0, Starts(app));
    }

    // A TCP listener on $PORT that takes a moment to come up, so a rolling restart has something to wait for.
    private const string Listener =
        "sleep 0.3; exec perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalAddr=>\"127.0.0.1\",LocalPort=>$ENV{PORT},Listen=>50,ReuseAddr=>1) or die \"listen: $!\"; $|=1; print \"listening on $ENV{PORT}\\n\"; while($c=$s->accept){close $c}'";
}
