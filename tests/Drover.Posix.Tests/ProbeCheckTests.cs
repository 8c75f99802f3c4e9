using System.Net;
using System.Net.Sockets;
using Drover.Core.Probes;
using Drover.Core.Supervision;

namespace Drover.Posix.Tests;

/// <summary>The probe checks against real sockets, a real HTTP server and real commands.</summary>
public sealed class ProbeCheckTests : IDisposable
{
    private readonly PosixProcessLauncher _launcher = new(reapOrphans: false);
    private readonly string _dir = Directory.CreateTempSubdirectory("drover-probe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private ProcessSpec Spec(string command) =>
        new("web.1 probe", command, _dir, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["WHO"] = "web.1" });

    private static async Task<ProbeResult> CheckWithin(IProbeCheck check, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await check.CheckAsync(cancel.Token).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Tcp_passes_on_a_listening_port_and_fails_on_a_closed_one()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.True((await CheckWithin(new TcpProbeCheck("127.0.0.1", open), TimeSpan.FromSeconds(5))).Passed);
        listener.Stop();
        var closed = await CheckWithin(new TcpProbeCheck("127.0.0.1", open), TimeSpan.FromSeconds(5));
        Assert.False(closed.Passed);
        Assert.Contains("connection refused", closed.Detail);
    }

    [Fact]
    public async Task Http_passes_on_2xx_or_the_expected_status_and_fails_otherwise()
    {
        int port = FreePort();
        File.WriteAllText(Path.Combine(_dir, "health"), "ok");
        var server = _launcher.Start(
            new ProcessSpec("http.1", $"exec python3 -m http.server {port} --bind 127.0.0.1", _dir,
                new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" }),
            new CollectingSink(), _ => { });
        try
        {
            await Eventually.Until(() => Core.Control.PortProbe.IsAcceptingAsync(port).Result);

            var ok = await CheckWithin(new HttpProbeCheck(HttpProbeCheck.UriFor("http", "127.0.0.1", port, "health"), null), TimeSpan.FromSeconds(5));
            var missing = await CheckWithin(new HttpProbeCheck(HttpProbeCheck.UriFor("http", "127.0.0.1", port, "/missing"), null), TimeSpan.FromSeconds(5));
            var expected = await CheckWithin(new HttpProbeCheck(HttpProbeCheck.UriFor("http", "127.0.0.1", port, "/missing"), 404), TimeSpan.FromSeconds(5));

            Assert.True(ok.Passed, ok.Detail);
            Assert.False(missing.Passed);
            Assert.Contains("answered 404 (expected 2xx or 3xx)", missing.Detail);
            Assert.True(expected.Passed, expected.Detail);
        }
        finally
        {
            server.Kill();
            await server.GroupGone.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Exec_passes_on_exit_0_with_the_instances_environment_and_fails_otherwise()
    {
        var ok = await CheckWithin(new ExecProbeCheck(_launcher, Spec("test \"$WHO\" = web.1")), TimeSpan.FromSeconds(10));
        var bad = await CheckWithin(new ExecProbeCheck(_launcher, Spec("exit 3")), TimeSpan.FromSeconds(10));

        Assert.True(ok.Passed, ok.Detail);
        Assert.False(bad.Passed);
        Assert.Contains("exited with code 3", bad.Detail);
    }

    [Fact]
    public async Task An_exec_check_past_its_timeout_is_killed_with_its_children_and_leaves_no_zombie()
    {
        string pids = Path.Combine(_dir, "pids");
        var check = new ExecProbeCheck(_launcher, Spec($"sleep 1000 & echo $$ $! > {pids}; wait"));

        var result = await CheckWithin(check, TimeSpan.FromMilliseconds(500));

        Assert.False(result.Passed);
        Assert.Contains("did not finish in time; killed", result.Detail);
        // The check returns only once the group is gone: the shell (Drover's child, reaped: no zombie) and its sleep.
        int[] both = [.. File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
        Assert.Null(ProcStat.Read(both[0]));
        Assert.False(ProcStat.IsAlive(both[1]));
    }

    [Fact]
    public async Task Repeated_exec_checks_leave_no_process_behind()
    {
        string pids = Path.Combine(_dir, "pids");
        var check = new ExecProbeCheck(_launcher, Spec($"echo $$ >> {pids}"));
        for (int k = 0; k < 50; k++)
        {
            Assert.True((await CheckWithin(check, TimeSpan.FromSeconds(10))).Passed);
        }

        var all = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.Equal(50, all.Count);
        Assert.All(all, pid => Assert.Null(ProcStat.Read(pid))); // each reaped: no zombie, nothing left
    }
}
