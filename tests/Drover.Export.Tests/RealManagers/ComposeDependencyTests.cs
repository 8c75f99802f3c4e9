using Drover.Core.Settings.Parsing;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The settings file's readiness probe and <c>depends_on</c> as the Compose export carries them (a
/// <c>healthcheck</c> and <c>condition: service_healthy</c>), run by docker-compose 1.29 and Compose v2 on the
/// <c>docker</c> collection's engine: the dependent starts only once the dependency's probe passed, as under
/// <c>drover start</c> (the issue's db/worker case).
/// </summary>
[Collection("docker")]
public sealed class ComposeDependencyTests(DockerEngine docker) : IDisposable
{
    private const string Settings = """
        processes:
          db:
            readiness_probe:
              exec: {command: "test -e /tmp/ready"}
              period_seconds: 1
              failure_threshold: 30
          worker:
            depends_on:
              db: {condition: process_healthy}
        """;

    private readonly TempDir _tmp = new();
    private readonly string _project = "dd" + Guid.NewGuid().ToString("N")[..8];
    private ComposeTool? _compose;

    private string File => _tmp.Combine("out", "compose.yaml");

    public void Dispose()
    {
        if (_compose is not null && System.IO.File.Exists(File))
        {
            _compose.Run(["-f", File, "-p", _project, "down", "-t", "0"], docker.Environment);
        }
        _tmp.Dispose();
    }

    [RequiresComposeFact("v1", "mmdebstrap", "dockerd", "docker")]
    public void Docker_compose_starts_worker_only_once_db_is_healthy() => WorkerWaitsForDb(ComposeTool.V1);

    [RequiresComposeFact("v2", "mmdebstrap", "dockerd", "docker")]
    public void Compose_v2_starts_worker_only_once_db_is_healthy() => WorkerWaitsForDb(ComposeTool.V2);

    private void WorkerWaitsForDb(ComposeTool compose)
    {
        _compose = compose;
        var settings = SettingsParser.Parse(Settings, "drover.yaml");
        Assert.True(settings.Ok, string.Join("\n", settings.Errors));
        // Each prints the moment (seconds since the epoch, one host clock for all containers) of what it does.
        var request = Fixtures.Request(
            Fixtures.Procfile(
                ("db", "echo \"started $(date +%s.%N)\"; sleep 3; touch /tmp/ready; echo \"ready $(date +%s.%N)\"; exec sleep 600"),
                ("worker", "echo \"started $(date +%s.%N)\"; exec sleep 600")),
            "db=1,worker=1", new Dictionary<string, string>(), image: docker.Image, user: DebianRootfs.User, timeout: 5, app: _project)
            with { Settings = settings.Value };
        var files = Exporters.Export("compose", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(_tmp.Combine("out"), _project, "compose", files.Value).Ok);

        var (code, stdout, stderr) = compose.Run(["-f", File, "-p", _project, "up", "-d"], docker.Environment);
        Assert.True(code == 0, $"{compose.Name} up exited with {code}\n{stdout}{stderr}");

        string db = compose.Container(_project, "db", 1), worker = compose.Container(_project, "worker", 1);
        Wait.Until(() => Moment(worker, "started") is not null, "worker's output",
            context: () => $"{docker.Run("ps", "-a").Stdout}\n{docker.Run("logs", db).Stdout}");
        double ready = Moment(db, "ready") ?? throw new Xunit.Sdk.XunitException($"db was not ready when worker started:\n{docker.Run("logs", db).Stdout}");
        Assert.True(Moment(worker, "started") >= ready, $"worker started at {Moment(worker, "started")}, before db was ready at {ready}");
        Assert.Equal("healthy", docker.Check("inspect", "--format", "{{.State.Health.Status}}", db).Trim());
        Assert.Equal("0", docker.Check("inspect", "--format", "{{.RestartCount}}", worker).Trim());
    }

    /// <summary>The moment a container printed for <paramref name="what"/>, or null before it did.</summary>
    private double? Moment(string container, string what) => Moments.Of(docker.Run("logs", container).Stdout, what);
}
