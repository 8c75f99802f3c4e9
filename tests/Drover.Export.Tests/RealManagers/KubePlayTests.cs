using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;
using YamlDotNet.RepresentationModel;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The Kubernetes export under <c>podman kube play</c> (Debian's podman 4.3, a private store, the cached Debian
/// rootfs as the image). Three things podman 4.3 does differently from Kubernetes are adapted here, in the test, not
/// in the export (see <see cref="ForPodman"/>).
/// </summary>
public sealed class KubePlayTests : IDisposable
{
    // A ConfigMap value: both quotes, '$', '$(HOME)' (Kubernetes expands $(VAR) only in env[].value, not
    // envFrom), '%', a backslash and a newline.
    private const string Tricky = "it's a \"quoted\" 100% $HOME $(HOME) \\ value ; # not a comment\nsecond line";
    private const string Secret = "s3cr3t \"key\" $x";

    private const string Web =
        "exec perl -MIO::Socket::INET -e '$| = 1; " +
        "my $s = IO::Socket::INET->new(LocalAddr => \"127.0.0.1\", LocalPort => $ENV{PORT}, Listen => 5, ReuseAddr => 1) " +
        "or die \"listen on $ENV{PORT}: $!\"; print \"$ENV{PS} listening on $ENV{PORT}\\n\"; " +
        "while (my $c = $s->accept) { print $c join(\"\\n\", scalar getpwuid($<), $ENV{PORT}, $ENV{PS}, $$, $ENV{API_KEY}, $ENV{TRICKY}); close $c }'";

    private const string Worker = "echo \"$PS up on $PORT\"; exec sleep 600";

    private const string Client =
        "my $c = IO::Socket::INET->new(PeerAddr => \"127.0.0.1\", PeerPort => $ARGV[0]) or exit 3; local $/; print <$c>";

    private readonly TempDir _tmp = new();
    private readonly string _app = "kp" + Guid.NewGuid().ToString("N")[..8];

    private sealed record Reply(string User, int Port, string Ps, string ApiKey, string Tricky);

    public void Dispose()
    {
        // What `podman kube down` would remove, without its wait for a graceful stop.
        foreach (var pod in new[] { "web-pod-0", "web-pod-1", "worker-pod-0" })
        {
            Podman.Run("pod", "rm", "-f", "-t", "0", $"{_app}-{pod}");
        }
        Podman.Run("secret", "rm", $"{_app}-secrets");
        _tmp.Dispose();
    }

    [RequiresCommandFact("mmdebstrap", "podman", "runc", "catatonit")]
    public void Kube_play_runs_every_replica_with_its_env_and_port_restarts_a_killed_one_and_stops_them_on_SIGTERM()
    {
        string image = Podman.Image;
        var env = new Dictionary<string, string> { ["TRICKY"] = Tricky, ["API_KEY"] = Secret };
        var request = Fixtures.Request(Fixtures.Procfile(("web", Web), ("worker", Worker)), "web=2,worker=1", env,
            image: image, user: DebianRootfs.Uid.ToString(CultureInfo.InvariantCulture), basePort: 6000, timeout: 30, app: _app);
        var files = Exporters.Export("kubernetes", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string outDir = _tmp.Combine("out");
        Assert.True(ExportWriter.Write(outDir, _app, "kubernetes", files.Value).Ok);

        Podman.Check("kube", "play", "--network", "none", ForPodman(outDir));

        // Two web replicas, each in its own pod (own network namespace): both on the one PORT of the type.
        for (int i = 0; i < 2; i++)
        {
            string pod = $"{_app}-web-pod-{i}";
            Assert.Equal(new Reply(DebianRootfs.User, 6000, pod, Secret, Tricky), Ask($"{pod}-web", 6000));
        }
        Wait.Until(() => Podman.Run("logs", $"{_app}-worker-pod-0-worker").Stdout.Contains(
            $"{_app}-worker-pod-0 up on 6100", StringComparison.Ordinal), "the worker's output");

        // A crash: SIGKILL to the container's process. The Deployment's pods restart always.
        string web0 = $"{_app}-web-pod-0-web";
        int pid = int.Parse(Podman.Check("inspect", "--format", "{{.State.Pid}}", web0).Trim(), CultureInfo.InvariantCulture);
        Commands.Signal(pid, "KILL");
        Wait.Until(() => Podman.Run("inspect", "--format", "{{.RestartCount}} {{.State.Running}}", web0).Stdout.Trim() == "1 true",
            "web-pod-0 to be restarted", context: () => Podman.Run("inspect", web0).Stdout);
        Assert.Equal(new Reply(DebianRootfs.User, 6000, $"{_app}-web-pod-0", Secret, Tricky), Ask(web0, 6000));

        // A stop: the process (not PID 1 thanks to shareProcessNamespace) dies of SIGTERM, 143, well before the
        // 30 s after which podman would SIGKILL it (137).
        string web1 = $"{_app}-web-pod-1-web";
        Podman.Check("stop", "-t", "30", web1);
        Assert.Equal("143", Podman.Check("inspect", "--format", "{{.State.ExitCode}}", web1).Trim());
    }

    [RequiresCommandFact("mmdebstrap", "podman", "runc", "catatonit")]
    public void Kube_play_turns_the_exported_liveness_probe_into_a_healthcheck_that_runs_the_probe()
    {
        var settings = Drover.Core.Settings.Parsing.SettingsParser.Parse("""
            processes:
              worker:
                liveness_probe:
                  exec: {command: "test -e /tmp/alive"}
                  period_seconds: 2
                  failure_threshold: 3
            """, "drover.yaml");
        Assert.True(settings.Ok, string.Join("\n", settings.Errors));
        var request = Fixtures.Request(Fixtures.Procfile(("worker", Worker)), "worker=1", new Dictionary<string, string>(),
            image: Podman.Image, user: DebianRootfs.Uid.ToString(CultureInfo.InvariantCulture), basePort: 6000, timeout: 5, app: _app)
            with { Settings = settings.Value };
        var files = Exporters.Export("kubernetes", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string outDir = _tmp.Combine("out");
        Assert.True(ExportWriter.Write(outDir, _app, "kubernetes", files.Value).Ok);
        Podman.Check("kube", "play", "--network", "none", ForPodman(outDir));
        string worker = $"{_app}-worker-pod-0-worker";
        Wait.Until(() => Podman.Run("logs", worker).Stdout.Contains("up on", StringComparison.Ordinal), "the worker's output",
            context: () => Podman.Run("ps", "-a").Stdout);

        // podman runs a healthcheck from a systemd timer, which these machines lack; `healthcheck run` is what that
        // timer calls. The probe's command, run in the container: failing, then passing once the file exists.
        var (failing, output, _) = Podman.Run("healthcheck", "run", worker);
        Assert.True(failing != 0, $"healthy before /tmp/alive exists: {output}");
        Podman.Check("exec", worker, "touch", "/tmp/alive");
        var (passing, output2, error2) = Podman.Run("healthcheck", "run", worker);
        Assert.True(passing == 0, $"unhealthy with /tmp/alive: {output2}{error2}\n{Podman.Run("inspect", "--format", "{{json .Config.Healthcheck}} {{json .State.Health}}", worker).Stdout}");
        Assert.Equal("2s", Podman.Check("inspect", "--format", "{{.Config.Healthcheck.Interval}}", worker).Trim());
    }

    private static Reply Ask(string container, int port) => Wait.For(() =>
    {
        var (code, stdout, _) = Podman.Run("exec", container, "/usr/bin/perl", "-MIO::Socket::INET", "-e", Client,
            port.ToString(CultureInfo.InvariantCulture));
        var parts = stdout.Split('\n', 6);
        return code == 0 && parts.Length == 6
            ? new Reply(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], parts[4], parts[5])
            : null;
    }, $"{container} to answer on {port}");

    /// <summary>
    /// The export, as one file for <c>podman kube play</c>, with podman 4.3's two differences from Kubernetes
    /// worked around:
    /// <list type="bullet">
    /// <item>A Secret in the played file is stored as its YAML, but read back for <c>envFrom</c> as JSON of
    /// base64 values, so the play fails with "secret ... is not valid JSON" (podman issue #16269). The Secret is
    /// created with <c>podman secret create</c> in the form podman reads, and left out of the file.</item>
    /// <item>podman publishes every <c>containerPort</c> on the host, so the second replica of a listening type
    /// fails with "address already in use" (and <c>--network none</c> refuses port mappings). The Deployments'
    /// <c>ports</c> are left out: they only name the port, the process listens on PORT anyway.</item>
    /// <item>podman turns an exec <c>livenessProbe</c> into a healthcheck by joining its words into one shell line
    /// without quoting them: <c>["/bin/sh", "-c", "test -e /tmp/alive"]</c> becomes
    /// <c>/bin/sh -c test -e /tmp/alive || exit 1</c>, which runs <c>test</c> alone and always fails. The shell
    /// line is given alone, which that joining leaves intact.</item>
    /// </list>
    /// podman ignores the Services; kustomization.yaml is not an object and is not played.
    /// </summary>
    private string ForPodman(string outDir)
    {
        var kustomization = Load(Path.Combine(outDir, "kustomization.yaml")).Single();
        var resources = ((YamlSequenceNode)((YamlMappingNode)kustomization.RootNode)["resources"]).Select(n => n.ToString());
        var played = new YamlStream();
        foreach (var resource in resources)
        {
            var doc = Load(Path.Combine(outDir, resource)).Single();
            var root = (YamlMappingNode)doc.RootNode;
            switch (root["kind"].ToString())
            {
                case "Secret":
                    var data = new JsonObject();
                    foreach (var (key, value) in (YamlMappingNode)root["stringData"])
                    {
                        data[key.ToString()] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value.ToString()));
                    }
                    string json = _tmp.Combine("secret.json");
                    File.WriteAllText(json, data.ToJsonString());
                    Podman.Check("secret", "create", root["metadata"]["name"].ToString(), json);
                    continue;
                case "Deployment":
                    foreach (YamlMappingNode container in (YamlSequenceNode)root["spec"]["template"]["spec"]["containers"])
                    {
                        container.Children.Remove("ports");
                        if (container.Children.TryGetValue("livenessProbe", out var probe) && ((YamlMappingNode)probe).Children.TryGetValue("exec", out var exec)
                            && ((YamlMappingNode)exec)["command"] is YamlSequenceNode { Children: [var sh, var c, var line] } command
                            && sh.ToString() == "/bin/sh" && c.ToString() == "-c")
                        {
                            command.Children.Clear();
                            command.Children.Add(line);
                        }
                    }
                    break;
            }
            played.Add(doc);
        }
        string path = _tmp.Combine("play.yaml");
        using (var writer = new StreamWriter(path))
        {
            played.Save(writer, assignAnchors: false);
        }
        return path;
    }

    private static IList<YamlDocument> Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents;
    }
}
