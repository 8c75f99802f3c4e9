using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;

namespace Drover.Posix.Tests;

/// <summary>
/// The measurable, with real processes: <c>db</c> listens only after 3 s; <c>worker</c> depends on it
/// being ready (TCP readiness probe on db's PORT). Each process writes its own timestamps to files; the test
/// asserts their order, never a duration.
/// </summary>
public sealed class DependencyOrderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drover-deps-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Instance Make(string type, string command, int? port, TypeSettings settings)
    {
        var name = new InstanceName(type, 1);
        var env = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["D"] = _dir,
            ["PORT"] = port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        var spec = new ProcessSpec(name.ToString(), command, _dir, env) { Port = port };
        return new Instance(name, spec, new OutputSource(name.ToString(), 0), BackoffOptions.Default) { Settings = settings };
    }

    private long Stamp(string file) => long.Parse(File.ReadAllText(Path.Combine(_dir, file)).Trim());

    [Fact]
    public async Task Worker_starts_after_db_is_ready_with_no_restart_and_db_is_stopped_only_after_worker_exited()
    {
        int port = ProbeCheckTests.FreePort();
        // db: listens after 3 s, writes when it listens and when it is asked to stop.
        var db = Make("db",
            "trap 'date +%s%N > \"$D/db.term\"; kill $py 2>/dev/null; exit 0' TERM; " +
            "sleep 3; date +%s%N > \"$D/db.listen\"; " +
            "python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"127.0.0.1\", int(sys.argv[1]))); s.listen(); time.sleep(1000)' $PORT & py=$!; wait",
            port,
            new TypeSettings("db")
            {
                Readiness = new ProbeSpec(new ProbeCheck.Tcp("127.0.0.1", null)) { Period = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(1) },
            });
        var worker = Make("worker",
            "trap 'date +%s%N > \"$D/worker.exit\"; exit 0' TERM; date +%s%N >> \"$D/worker.start\"; while :; do sleep 0.1; done",
            null,
            new TypeSettings("worker") { DependsOn = [new Dependency("db", DependencyCondition.Healthy)] });
        var launcher = new PosixProcessLauncher(reapOrphans: false);
        var output = new OutputHub(Stream.Null, new PrefixFormatter(TimeProvider.System, false, false, 9));
        var supervisor = new Supervisor([db, worker], launcher, output, SupervisorOptions.Default, TimeProvider.System);
        using var view = FormationView.Follow(supervisor);
        var run = Task.Run(supervisor.RunAsync);

        var waiting = await view.WaitForAsync(all => all.Any(s => s.Name == "worker.1" && s.State == InstanceState.Waiting), CancellationToken.None)
            .WaitAsync(Eventually.Patience);
        Assert.Equal(["db"], waiting.Single(s => s.Name == "worker.1").WaitingFor);
        var running = await view.WaitForAsync(all => all.Any(s => s.Name == "worker.1" && s.State == InstanceState.Running), CancellationToken.None)
            .WaitAsync(Eventually.Patience);
        Assert.True(running.Single(s => s.Name == "db.1").Ready);
        // Its trap is set before it writes its start.
        await Eventually.Until(() => File.Exists(Path.Combine(_dir, "worker.start")) && File.ReadAllText(Path.Combine(_dir, "worker.start")).EndsWith('\n'));

        supervisor.RequestShutdown();
        Assert.Equal(0, await run.WaitAsync(Eventually.Patience));
        await output.DisposeAsync();

        // worker's first (and only) start came after db listened.
        var starts = File.ReadAllLines(Path.Combine(_dir, "worker.start"));
        Assert.Single(starts);
        Assert.True(long.Parse(starts[0]) > Stamp("db.listen"), "worker started before db listened");
        Assert.Equal(0, worker.Restarts);
        // db got its stop signal only after worker had exited.
        Assert.True(Stamp("db.term") > Stamp("worker.exit"), "db was asked to stop before worker exited");
    }
}
