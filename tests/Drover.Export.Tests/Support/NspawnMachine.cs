using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Drover.Export.Tests.Support;

/// <summary>
/// systemd booted as PID 1 of a container by <c>systemd-nspawn -b</c>, on a read-only rootfs with a tmpfs overlay
/// (nothing the test does reaches the cached rootfs) and a private network (only its own loopback).
/// </summary>
/// <remarks>
/// <c>--keep-unit --register=no</c>: there is no systemd on the host to register with. Commands run inside
/// through <c>nsenter</c> into the container's namespaces; its files are reached from the host as
/// <c>/proc/PID1/root</c>.
/// </remarks>
internal sealed class NspawnMachine : IDisposable
{
    private readonly Process _nspawn;
    private readonly StringBuilder _console = new();
    private readonly string _name;

    public NspawnMachine(string rootfs)
    {
        _name = "drovertest-" + Guid.NewGuid().ToString("N")[..12];
        _nspawn = Commands.Start("systemd-nspawn",
            ["-q", "--register=no", "--keep-unit", "--private-network", "--volatile=overlay", "-M", _name, "-D", rootfs, "-b"],
            "/", _console);
        Leader = Wait.For(() => Child(_nspawn.Id) is { } pid ? new Box(pid) : null, "systemd-nspawn to start the container",
            context: Console).Pid;
        // "running" or "degraded" (a unit the minimal rootfs cannot start): either way the boot is over. Until
        // systemd listens on its private socket, systemctl cannot connect and says nothing on stdout; before systemd
        // has made /run/systemd/system it says "offline" (seen on CI, 0.3 s into the boot). Both mean: not yet.
        string state = Wait.For(() => Exec(["systemctl", "is-system-running", "--wait"]).Stdout.Trim() is { Length: > 0 } s && s != "offline" ? s : null,
            "systemd to answer", context: Console);
        Assert.True(state is "running" or "degraded", $"boot did not finish: {state}\n{Console()}");
    }

    /// <summary>The host pid of the container's PID 1 (systemd).</summary>
    public int Leader { get; }

    /// <summary>A path inside the container, as the host sees it.</summary>
    public string HostPath(string path) => $"/proc/{Leader.ToString(CultureInfo.InvariantCulture)}/root{path}";

    /// <summary>Runs a command inside the container, in all its namespaces.</summary>
    public (int Code, string Stdout, string Stderr) Exec(IEnumerable<string> command) =>
        Commands.Run("nsenter", ["-t", Leader.ToString(CultureInfo.InvariantCulture), "-m", "-u", "-i", "-n", "-p", "--", .. command],
            Wait.Long);

    /// <summary>Runs a command inside and fails the test when it fails.</summary>
    public string Check(params string[] command)
    {
        var (code, stdout, stderr) = Exec(command);
        Assert.True(code == 0, $"{string.Join(' ', command)} exited with {code}:\n{stdout}{stderr}");
        return stdout;
    }

    public string Console()
    {
        lock (_console)
        {
            return "container console:\n" + _console;
        }
    }

    public void Dispose()
    {
        if (!_nspawn.HasExited)
        {
            // nspawn turns SIGTERM into an orderly shutdown of the container's systemd.
            Commands.Signal(_nspawn.Id, "TERM");
            if (!_nspawn.WaitForExit(Wait.Long))
            {
                _nspawn.Kill(entireProcessTree: true);
            }
        }
        _nspawn.Dispose();
        // nspawn cannot remove its propagation directory when /run is not a tmpfs (as here).
        try
        {
            Directory.Delete($"/run/systemd/nspawn/propagate/{_name}", recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static int? Child(int pid)
    {
        try
        {
            var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Until nspawn's child has exec'd systemd, it is still nspawn.
            return children.Length > 0 && File.ReadAllText($"/proc/{children[0]}/comm").Trim() == "systemd"
                ? int.Parse(children[0], CultureInfo.InvariantCulture)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed record Box(int Pid);
}
