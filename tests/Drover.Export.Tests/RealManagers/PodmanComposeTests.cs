using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The Compose export under Debian's podman-compose 1.0 (on the tests' private podman store). podman-compose
/// creates a bridge network PROJECT_default (a CNI file in /etc/cni/net.d), removed again in Dispose.
/// </summary>
public sealed class PodmanComposeTests : IDisposable
{
    private const string Tricky = "it's a \"quoted\" 100% $HOME ${PORT} \\ value ; # not a comment";

    private readonly TempDir _tmp = new();
    private readonly string _project = "pc" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        string outDir = _tmp.Combine("out");
        if (Directory.Exists(outDir))
        {
            Commands.Run("podman-compose", ["-f", Path.Combine(outDir, "compose.yaml"), "-p", _project, "down", "-t", "0"],
                TimeSpan.FromMinutes(2), Podman.Environment);
        }
        foreach (var name in new[] { "web_1", "web_2", "worker_1" })
        {
            Podman.Run("rm", "-f", "-t", "0", $"{_project}_{name}");
        }
        Podman.Run("network", "rm", "-f", $"{_project}_default");
        _tmp.Dispose();
    }

    [RequiresCommandFact("mmdebstrap", "podman", "runc", "podman-compose")]
    public void Podman_compose_runs_the_replicas_with_their_env_and_port_and_a_stop_ends_them_by_SIGTERM()
    {
        var request = Fixtures.Request(
            Fixtures.Procfile(("web", "printf '%s|%s|%s|%s\\n' \"$(id -un)\" \"$PS\" \"$PORT\" \"$TRICKY\"; exec sleep 600"), ("worker", "exec sleep 600")),
            "web=2,worker=1", new Dictionary<string, string> { ["TRICKY"] = Tricky }, image: Podman.Image, user: DebianRootfs.User, basePort: 6000,
            timeout: 30, app: _project);
        var files = Exporters.Export("compose", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string outDir = _tmp.Combine("out");
        Assert.True(ExportWriter.Write(outDir, _project, "compose", files.Value).Ok);

        var (code, stdout, stderr) = Commands.Run("podman-compose",
            ["-f", Path.Combine(outDir, "compose.yaml"), "-p", _project, "up", "-d"], TimeSpan.FromMinutes(3), Podman.Environment);
        Assert.True(code == 0, $"podman-compose up exited with {code}\n{stdout}{stderr}");

        foreach (var web in new[] { "web_1", "web_2" })
        {
            Wait.Until(() => Podman.Run("logs", $"{_project}_{web}").Stdout == $"{DebianRootfs.User}|web|6000|{Tricky}\n",
                $"{web}'s output", context: () => $"{stdout}{stderr}\n{Podman.Run("ps", "-a").Stdout}\n{Podman.Run("logs", $"{_project}_{web}")}");
        }
        Assert.Equal("true", Podman.Check("inspect", "--format", "{{.State.Running}}", $"{_project}_worker_1").Trim());

        // init: true: the command is not PID 1, so SIGTERM ends it (143) long before the 30 s grace period (137).
        Podman.Check("stop", "-t", "30", $"{_project}_web_1");
        Assert.Equal("143", Podman.Check("inspect", "--format", "{{.State.ExitCode}}", $"{_project}_web_1").Trim());
    }
}
