using System.Globalization;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The Compose export under a real docker engine (Debian's docker.io 20.10, private, see <see cref="DockerEngine"/>):
/// with docker-compose 1.29 and Compose v2 (`up`), and as a stack on a one-node swarm (`docker stack deploy`).
/// </summary>
[Collection("docker")]
public sealed class DockerComposeTests(DockerEngine docker) : IDisposable
{
    private const string Tricky = "it's a \"quoted\" 100% $HOME ${PORT} \\ value ; # not a comment";

    private readonly TempDir _tmp = new();
    private readonly string _project = "dc" + Guid.NewGuid().ToString("N")[..8];

    private string File => _tmp.Combine("out", "compose.yaml");

    public void Dispose()
    {
        if (System.IO.File.Exists(File))
        {
            foreach (var compose in new[] { ComposeTool.V1, ComposeTool.V2 }.Where(c => c.Missing() is null))
            {
                compose.Run(["-f", File, "-p", _project, "down", "-t", "0"], docker.Environment);
            }
            docker.Run("stack", "rm", _project);
        }
        _tmp.Dispose();
    }

    private void Export()
    {
        var request = Fixtures.Request(
            Fixtures.Procfile(("web", "printf '%s|%s|%s|%s\\n' \"$(id -un)\" \"$PS\" \"$PORT\" \"$TRICKY\"; exec sleep 600"), ("worker", "exec sleep 600")),
            "web=2,worker=1", new Dictionary<string, string> { ["TRICKY"] = Tricky }, image: docker.Image, user: DebianRootfs.User,
            basePort: 6000, timeout: 30, app: _project);
        var files = Exporters.Export("compose", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(_tmp.Combine("out"), _project, "compose", files.Value).Ok);
    }

    private static string Expected => $"{DebianRootfs.User}|web|6000|{Tricky}\n";

    [RequiresComposeFact("v1", "mmdebstrap", "dockerd", "docker")]
    public void Docker_compose_runs_the_replicas_restarts_a_killed_one_and_a_stop_ends_them_by_SIGTERM() =>
        UpRestartStopDown(ComposeTool.V1);

    [RequiresComposeFact("v2", "mmdebstrap", "dockerd", "docker")]
    public void Compose_v2_runs_the_replicas_restarts_a_killed_one_and_a_stop_ends_them_by_SIGTERM() =>
        UpRestartStopDown(ComposeTool.V2);

    private void UpRestartStopDown(ComposeTool compose)
    {
        Export();
        var (code, stdout, stderr) = compose.Run(["-f", File, "-p", _project, "up", "-d"], docker.Environment);
        Assert.True(code == 0, $"{compose.Name} up exited with {code}\n{stdout}{stderr}\n{docker.Log()}");

        foreach (var web in new[] { compose.Container(_project, "web", 1), compose.Container(_project, "web", 2) })
        {
            Wait.Until(() => docker.Run("logs", web).Stdout == Expected, $"{web}'s output",
                context: () => $"{docker.Run("ps", "-a").Stdout}\n{docker.Run("logs", web)}");
        }
        string worker = compose.Container(_project, "worker", 1);
        Assert.Equal("true", docker.Check("inspect", "--format", "{{.State.Running}}", worker).Trim());

        // A crash (the process killed from outside, not a `docker stop`): restart: on-failure starts it again.
        int init = Pid(worker);
        int sleep = Wait.For(() => Children(init) is [int p, ..] ? p.ToString(CultureInfo.InvariantCulture) : null, "worker's sleep under the init") is { } found
            ? int.Parse(found, CultureInfo.InvariantCulture)
            : 0;
        Commands.Signal(sleep, "KILL");
        Wait.Until(() => docker.Run("inspect", "--format", "{{.RestartCount}} {{.State.Running}}", worker).Stdout.Trim() == "1 true",
            $"{worker} restarted once", context: () => docker.Run("ps", "-a").Stdout);

        // init: true: the command is not PID 1, so SIGTERM ends it (143) long before the 30 s grace period (137).
        string web1 = compose.Container(_project, "web", 1);
        docker.Check("stop", "-t", "30", web1);
        Assert.Equal("143", docker.Check("inspect", "--format", "{{.State.ExitCode}}", web1).Trim());

        (code, stdout, stderr) = compose.Run(["-f", File, "-p", _project, "down", "-t", "30"], docker.Environment);
        Assert.True(code == 0, $"{compose.Name} down exited with {code}\n{stdout}{stderr}");
        Assert.Empty(docker.Check("ps", "-aq", "--filter", $"label=com.docker.compose.project={_project}").Trim());
    }

    [RequiresCommandFact("mmdebstrap", "dockerd", "docker")]
    public void A_stack_on_a_swarm_runs_the_replicas_and_a_rolling_update_never_drops_web_below_its_count()
    {
        Export();
        if (docker.Run("info", "--format", "{{.Swarm.LocalNodeState}}").Stdout.Trim() != "active")
        {
            docker.Check("swarm", "init", "--advertise-addr", "127.0.0.1");
        }
        docker.Check("stack", "deploy", "-c", File, _project);
        Wait.Until(() => RunningTasks("web") == 2 && RunningTasks("worker") == 1, "2 web and 1 worker tasks running",
            context: () => docker.Run("stack", "ps", _project).Stdout);
        Wait.Until(() => docker.Run("service", "logs", "--raw", $"{_project}_web").Stdout == Expected + Expected, "both web replicas' output",
            context: () => docker.Run("service", "logs", $"{_project}_web").Stdout);
        Assert.Equal("start-first", docker.Check("service", "inspect", "--format", "{{.Spec.UpdateConfig.Order}}", $"{_project}_web").Trim());

        // A forced update replaces every web task, one at a time, each new one started before the old one stops.
        var update = Task.Run(() => docker.Run("service", "update", "--force", "--detach=false", $"{_project}_web"));
        var seen = new List<int>();
        while (!update.IsCompleted)
        {
            seen.Add(RunningTasks("web"));
        }
        Assert.True(update.Result.Code == 0, update.Result.Stdout + update.Result.Stderr);
        Assert.True(seen.Count > 0 && seen.Min() >= 2, $"running web tasks during the update: {string.Join(',', seen)}");
        var tasks = docker.Check("service", "ps", "--format", "{{.DesiredState}}", $"{_project}_web").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, tasks.Length); // two replaced (Shutdown) and two new (Running)
        Assert.Equal(2, tasks.Count(t => t == "Shutdown"));

        docker.Check("stack", "rm", _project);
        Wait.Until(() => docker.Check("ps", "-q", "--filter", $"label=com.docker.stack.namespace={_project}").Trim().Length == 0,
            "the stack's containers to be gone");
    }

    private int RunningTasks(string service) =>
        docker.Run("service", "ps", "--filter", "desired-state=running", "--format", "{{.CurrentState}}", $"{_project}_{service}")
            .Stdout.Split('\n').Count(l => l.StartsWith("Running", StringComparison.Ordinal));

    private int Pid(string container) =>
        int.Parse(docker.Check("inspect", "--format", "{{.State.Pid}}", container).Trim(), CultureInfo.InvariantCulture);

    private static int[] Children(int pid)
    {
        try
        {
            return [.. System.IO.File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
