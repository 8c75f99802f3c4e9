using System.Globalization;
using Drover.Export.Tests.Support;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// <c>drover start</c> as a container's command under podman, with podman's init (<c>--init</c>: catatonit as
/// PID 1, Drover its child) and without one (Drover is PID 1: the .NET runtime then reaps every child itself, so
/// Drover runs itself again as its child and stays a minimal init; without that it hung at the first stop).
/// </summary>
public sealed class DroverInContainerTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _name = "drovertest-" + Guid.NewGuid().ToString("N")[..10];

    public void Dispose()
    {
        Podman.Run("rm", "-f", "-t", "0", _name);
        _tmp.Dispose();
    }

    private string[] RunArgs(bool init, string procfile, params string[] droverArgs)
    {
        File.WriteAllText(_tmp.Combine("Procfile"), procfile);
        return ["run", "--name", _name, .. init ? ["--init"] : Array.Empty<string>(), "--network", "none", .. DroverImage.Mounts, "-v", $"{_tmp.Path}:/app",
            Podman.Image, .. DroverImage.Entrypoint, "start", "-f", "/app/Procfile", .. droverArgs];
    }

    [RequiresCommandTheory("mmdebstrap", "podman", "runc", "catatonit")]
    [InlineData(true)]
    [InlineData(false)]
    public void Stopping_the_container_stops_drover_and_every_process_with_exit_0_and_orphans_are_reaped(bool init)
    {
        // orphans: three sleeps whose parent exits at once; they end 2.5 s later and must be reaped, not left as
        // zombies. stubborn ignores SIGTERM: Drover's -t 2 must SIGKILL it, long before podman's -t 60.
        string procfile = "web: exec sleep 600\nstubborn: trap '' TERM; sleep 600\n" +
            "orphans: for i in 1 2 3; do (exec sleep 2.5 &); done; exec sleep 600\n";
        string[] run = RunArgs(init, procfile, "-t", "2");
        Podman.Check([run[0], "-d", .. run[1..]]);
        int droverPid = int.Parse(Podman.Check("inspect", "--format", "{{.State.Pid}}", _name).Trim(), CultureInfo.InvariantCulture);

        var orphans = Wait.For(() => SleepsOf("2.5") is { Count: 3 } found ? found : null, "the three orphaned sleeps",
            context: () => Podman.Run("logs", _name).Stdout);
        Wait.Until(() => orphans.All(pid => !Directory.Exists($"/proc/{pid}")), "the orphans to end and be reaped",
            context: () => string.Join("\n", orphans.Select(p => File.Exists($"/proc/{p}/stat") ? File.ReadAllText($"/proc/{p}/stat") : $"{p} gone")));
        Assert.True(Directory.Exists($"/proc/{droverPid}"));

        Podman.Check("stop", "-t", "60", _name);

        string logs = Podman.Run("logs", _name).Stdout;
        string exit = Podman.Check("inspect", "--format", "{{.State.ExitCode}}", _name).Trim();
        Assert.True(exit == "0", $"exit {exit} (137: podman had to SIGKILL drover)\n{logs}");
        Assert.Contains("sending SIGKILL to stubborn.1", logs, StringComparison.Ordinal);
        Assert.Contains("all processes stopped", logs, StringComparison.Ordinal);
    }

    [RequiresCommandTheory("mmdebstrap", "podman", "runc", "catatonit")]
    [InlineData(true)]
    [InlineData(false)]
    public void The_container_exits_with_the_code_drover_exits_with(bool init)
    {
        var (code, stdout, stderr) = Podman.Run(RunArgs(init, "one: echo bye; exit 3\nweb: exec sleep 600\n", "-t", "2", "--stop-on-exit"));

        Assert.True(code == 3, $"exit {code}\n{stdout}{stderr}");
        Assert.Contains("one.1 exited with code 3", stdout + stderr, StringComparison.Ordinal);
    }

    // Host pids of "sleep SECONDS" processes whose cmdline is exactly that (the orphans, in the container's
    // pid namespace but visible from the host).
    private static List<int> SleepsOf(string seconds)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(dir, "cmdline")) == $"sleep\0{seconds}\0")
                    {
                        found.Add(pid);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        return found;
    }
}
