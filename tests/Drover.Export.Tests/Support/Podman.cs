using System.Globalization;

namespace Drover.Export.Tests.Support;

/// <summary>
/// Debian's podman 4.3 with a store of its own, so the tests neither see nor leave anything in the machine's
/// podman: images in <c>CACHE/podman-KEY</c> (kept between runs, like the rootfs they are imported from),
/// run-time state in <c>/run/drover-tests/podman-KEY</c>, and a containers.conf of the tests' own.
/// </summary>
/// <remarks>
/// The settings podman needs as root on these machines (docs/export.md): runc (crun refuses the hybrid cgroup
/// hierarchy), cgroupfs (no systemd on the host), events in a file (no journald), and default ulimits no higher
/// than the hard limits (root here lacks CAP_SYS_RESOURCE). Images never come from a registry:
/// <see cref="Image"/> is the cached <see cref="DebianRootfs"/>, imported once.
/// </remarks>
internal static class Podman
{
    private static readonly string Root = Path.Combine(DebianRootfs.CacheDirectory, $"podman-{DebianRootfs.Key}");
    private static readonly string RunRoot = $"/run/drover-tests/podman-{DebianRootfs.Key}";
    private static readonly Lazy<string> Imported = new(Import, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The image: the Debian rootfs with PATH set, imported on first use.</summary>
    public static string Image => Imported.Value;

    private static string ImageName => $"localhost/drovertest:{DebianRootfs.Key}";

    /// <summary>The global options that select the private store.</summary>
    public static string[] GlobalOptions =>
        ["--root", Path.Combine(Root, "storage"), "--runroot", Path.Combine(RunRoot, "run"), "--tmpdir", Path.Combine(RunRoot, "tmp"),
         "--storage-driver", "overlay"];

    /// <summary>The environment podman runs with: the private containers.conf.</summary>
    /// <remarks>Also selects the private store for programs that run <c>podman</c> themselves (podman-compose).</remarks>
    public static Dictionary<string, string> Environment => new()
    {
        ["CONTAINERS_CONF"] = ConfigPath.Value,
        ["CONTAINERS_STORAGE_CONF"] = Path.Combine(RunRoot, "storage.conf"),
    };

    private static readonly Lazy<string> ConfigPath = new(Config, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs <c>podman ARGS</c> on the private store.</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] args) =>
        Commands.Run("podman", [.. GlobalOptions, .. args], TimeSpan.FromMinutes(3), Environment);

    /// <summary>Runs <c>podman ARGS</c> and fails the test when it fails; returns stdout.</summary>
    public static string Check(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, $"podman {string.Join(' ', args)} exited with {code}:\n{stdout}{stderr}");
        return stdout;
    }

    private static string Config()
    {
        Directory.CreateDirectory(RunRoot);
        string path = Path.Combine(RunRoot, "containers.conf");
        // The hard limits this process (and so podman) has.
        var limits = File.ReadAllLines("/proc/self/limits");
        string Hard(string name) => limits.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        string nofile = Hard("Max open files");
        // nproc above 32768 is refused too, and "unlimited" is no number for podman.
        string nproc = long.TryParse(Hard("Max processes"), CultureInfo.InvariantCulture, out long n) && n < 32768
            ? n.ToString(CultureInfo.InvariantCulture)
            : "32768";
        string text = $"""
            [containers]
            default_ulimits = ["nofile={nofile}:{nofile}", "nproc={nproc}:{nproc}"]
            [engine]
            tmp_dir = "{Path.Combine(RunRoot, "tmp")}"
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """ + "\n";
        WriteIfChanged(path, text);
        WriteIfChanged(Path.Combine(RunRoot, "storage.conf"), $"""
            [storage]
            driver = "overlay"
            graphroot = "{Path.Combine(Root, "storage")}"
            runroot = "{Path.Combine(RunRoot, "run")}"
            """ + "\n");
        return path;
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            string tmp = $"{path}.{System.Environment.ProcessId}";
            File.WriteAllText(tmp, text);
            File.Move(tmp, path, overwrite: true);
        }
    }

    private static string Import()
    {
        string rootfs = DebianRootfs.Path;
        Directory.CreateDirectory(Root);
        if (Run("image", "exists", ImageName).Code == 0)
        {
            return ImageName;
        }
        // podman takes its own locks; this one only keeps two test processes from importing the same image twice.
        using var lockFile = DebianRootfs.Lock(Path.Combine(Root, "import.lock"));
        if (Run("image", "exists", ImageName).Code != 0)
        {
            string options = string.Join(' ', GlobalOptions.Select(Quote));
            var (code, stdout, stderr) = Commands.Run("/bin/sh",
                ["-c", $"tar -C {Quote(rootfs)} -c . | podman {options} import --change " +
                    $"ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin - {ImageName}"],
                TimeSpan.FromMinutes(5), Environment);
            Assert.True(code == 0, $"podman import failed ({code}):\n{stdout}{stderr}");
        }
        return ImageName;
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
