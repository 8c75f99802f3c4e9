using System.Diagnostics;
using System.Text;

namespace Drover.Export.Tests.Support;

/// <summary>
/// A private dockerd (Debian's docker.io 20.10) for the Compose tests: its own data root (kept between runs in the
/// tests' cache, so the image is imported once), exec root and socket, no iptables and no default bridge, so it
/// touches nothing of the host's networking but the bridges Compose and swarm create, which it removes again.
/// Shared by the tests of the <c>docker</c> collection, which run one after another.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly string? _run;
    private readonly string? _data;
    private readonly string[] _command = [];
    private Process? _dockerd;

    /// <summary>The engine of the <c>docker</c> collection, in the host's own network namespace.</summary>
    public DockerEngine()
        : this("single", netns: null)
    {
    }

    /// <summary>An engine named <paramref name="name"/> (its data root), inside network namespace <paramref name="netns"/>.</summary>
    /// <remarks>
    /// <c>nsenter --net</c>, not <c>ip netns exec</c>: the latter also remounts /sys for the namespace, which hides
    /// the cgroup mounts dockerd needs ("Devices cgroup isn't mounted").
    /// </remarks>
    internal DockerEngine(string name, string? netns)
    {
        if (Commands.Find("dockerd") is null || Commands.Find("docker") is null)
        {
            return; // the tests skip themselves
        }
        string data = _data = System.IO.Path.Combine(DebianRootfs.CacheDirectory, $"docker-{DebianRootfs.Key}-{name}");
        _run = "/run/drover-tests/docker-" + Guid.NewGuid().ToString("N")[..12];
        Directory.CreateDirectory(_run);
        Socket = System.IO.Path.Combine(_run, "docker.sock");
        string[] dockerd =
        [
            "dockerd", "--data-root", data, "--exec-root", System.IO.Path.Combine(_run, "exec"), "--pidfile", System.IO.Path.Combine(_run, "dockerd.pid"),
            "-H", $"unix://{Socket}", "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=overlay2",
        ];
        _command = netns is null ? dockerd : ["nsenter", $"--net=/run/netns/{netns}", .. dockerd];
        Start();
    }

    private void Start()
    {
        _dockerd = Commands.Start(_command[0], _command[1..], "/", _log);
        Wait.Until(() => Run("version").Code == 0, "dockerd to answer", context: Log);
    }

    /// <summary>SIGKILLs dockerd (and the containerd it manages); the containers' shims live on, as on a real host.</summary>
    public void Kill()
    {
        _dockerd?.Kill();
        _dockerd?.WaitForExit();
    }

    /// <summary>Starts dockerd again on the same data (after <see cref="Kill"/>).</summary>
    public void Restart()
    {
        _dockerd?.Dispose();
        Start();
    }

    /// <summary>The engine's API socket.</summary>
    public string Socket { get; } = "";

    /// <summary>The environment that points docker, docker-compose and the swarm commands at this engine.</summary>
    public Dictionary<string, string> Environment => new() { ["DOCKER_HOST"] = $"unix://{Socket}" };

    /// <summary>The Debian rootfs as an image of this engine, imported on first use.</summary>
    public string Image
    {
        get
        {
            string name = $"drovertest:{DebianRootfs.Key}";
            if (Run("image", "inspect", name).Code != 0)
            {
                var (code, stdout, stderr) = Commands.Run("/bin/sh",
                    ["-c", $"tar -C '{DebianRootfs.Path}' -c . | docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - {name}"],
                    TimeSpan.FromMinutes(5), Environment);
                Assert.True(code == 0, $"docker import failed ({code}):\n{stdout}{stderr}");
            }
            return name;
        }
    }

    /// <summary>Runs <c>docker ARGS</c> against this engine.</summary>
    public (int Code, string Stdout, string Stderr) Run(params string[] args) =>
        Commands.Run("docker", args, TimeSpan.FromMinutes(3), Environment);

    /// <summary>Runs <c>docker ARGS</c> and fails the test when it fails; returns stdout.</summary>
    public string Check(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, $"docker {string.Join(' ', args)} exited with {code}:\n{stdout}{stderr}");
        return stdout;
    }

    /// <summary>What dockerd has logged.</summary>
    public string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    public void Dispose()
    {
        if (_dockerd is null)
        {
            return;
        }
        if (_dockerd.HasExited)
        {
            Restart(); // it stops the containers it left running
        }
        // Swarm mode leaves its gateway bridge behind otherwise.
        Run("swarm", "leave", "--force");
        Run("network", "rm", "docker_gwbridge");
        if (!_dockerd.HasExited)
        {
            Commands.Signal(_dockerd.Id, "TERM");
            if (!_dockerd.WaitForExit(Wait.Long))
            {
                _dockerd.Kill(entireProcessTree: true);
            }
        }
        _dockerd.Dispose();
        if (_command[0] == "dockerd")
        {
            Commands.Run("/bin/sh", ["-c", "ip link delete docker_gwbridge 2>/dev/null; true"], TimeSpan.FromSeconds(30));
        }
        // A swarm's network sandboxes stay mounted (nsfs) under the exec root after dockerd exits, and a dockerd
        // that was SIGKILLed leaves its data root bind-mounted on itself.
        Commands.Run("/bin/sh", ["-c", $"awk '$2 ~ \"^({_run}|{_data})(/|$)\" {{print $2}}' /proc/self/mounts | sort -r | xargs -r -n1 umount -l"],
            TimeSpan.FromSeconds(30));
        try
        {
            Directory.Delete(_run!, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: an exec-root mount may linger a moment.
        }
    }
}

/// <summary>The tests that share one <see cref="DockerEngine"/>.</summary>
[CollectionDefinition("docker")]
public sealed class DockerTests : ICollectionFixture<DockerEngine>;
