extern alias k8sfull;

using Drover.Core.Settings;
using Drover.Core.Settings.Parsing;
using Drover.Export.Settings;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;
using k8sfull::k8s.Models;
using KubernetesYaml = k8sfull::k8s.KubernetesYaml;

namespace Drover.Export.Tests;

/// <summary>The settings file's per-type settings in each export, and the warnings for what a format cannot carry.</summary>
public sealed class SettingsExportTests : IDisposable
{
    private const string Settings = """
        processes:
          web:
            depends_on:
              worker: {condition: process_started}
            readiness_probe:
              http_get: {path: /health}
              initial_delay_seconds: 2
              period_seconds: 5
              failure_threshold: 4
            liveness_probe:
              tcp_socket: {}
            shutdown:
              signal: SIGINT
              timeout_seconds: 20
              command: "kill -QUIT $$(cat pid)"
            availability:
              restart: always
              backoff_seconds: 3
            environment:
              WEB_ONLY: "1"
          worker:
            availability: {restart: 'no', max_restarts: 4}
            working_dir: jobs
            ready_log_line: ready
            log_location: logs/worker.log
        """;

    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static ExportRequest Request(string? image = null, string text = Settings, string? user = "deploy")
    {
        var settings = SettingsParser.Parse(text, "drover.yaml");
        Assert.True(settings.Ok, string.Join("\n", settings.Errors));
        return Fixtures.Request(image: image, user: user) with
        {
            Settings = settings.Value,
            TypeEnvironments = settings.Value.Types.ToDictionary(t => t.Type, t => t.Environment),
        };
    }

    private static string File(string format, string path, string? image = null) =>
        Exporters.Export(format, Request(image)).Value.Single(f => f.Path == path).Content;

    [Fact]
    public void Systemd_orders_the_units_and_carries_restart_stop_and_environment()
    {
        string web = File("systemd", "myapp-web@.service");
        string worker = File("systemd", "myapp-worker@.service");

        Assert.Contains("After=myapp-worker@1.service\nRequires=myapp-worker@1.service\n", web, StringComparison.Ordinal);
        Assert.Contains("Restart=always\nRestartSec=3\n", web, StringComparison.Ordinal);
        Assert.Contains("KillSignal=SIGINT\n", web, StringComparison.Ordinal);
        Assert.Contains("TimeoutStopSec=20\n", web, StringComparison.Ordinal);
        Assert.Contains("ExecStop=/bin/sh -c ", web, StringComparison.Ordinal);
        Assert.Contains("EnvironmentFile=%Y/myapp-web.env\n", web, StringComparison.Ordinal);
        Assert.Contains("Restart=no\n", worker, StringComparison.Ordinal);
        Assert.Contains("WorkingDirectory=/srv/myapp/jobs\n", worker, StringComparison.Ordinal);
        Assert.Equal("WEB_ONLY=\"1\"", File("systemd", "myapp-web.env").Split('\n').Single(l => l.StartsWith("WEB_ONLY", StringComparison.Ordinal)));
    }

    [Fact]
    public void Supervisord_lists_dependencies_first_with_priorities_and_carries_the_stop_settings()
    {
        string conf = File("supervisord", "myapp.conf");

        Assert.Contains("programs=myapp-worker,myapp-web\n", conf, StringComparison.Ordinal);
        Assert.True(conf.IndexOf("[program:myapp-worker]", StringComparison.Ordinal) < conf.IndexOf("[program:myapp-web]", StringComparison.Ordinal));
        string web = conf[conf.IndexOf("[program:myapp-web]", StringComparison.Ordinal)..];
        Assert.Contains("priority=110\nautorestart=true\n", web, StringComparison.Ordinal);
        Assert.Contains("stopsignal=INT\nstopwaitsecs=20\n", web, StringComparison.Ordinal);
        Assert.Contains("WEB_ONLY=\"1\"", web, StringComparison.Ordinal);
        Assert.Contains("priority=100\nautorestart=false\n", conf, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_setting_a_format_cannot_carry_is_named_once_per_type()
    {
        var request = Request();

        Assert.Equal(
            [
                "warning: systemd cannot carry web's readiness_probe; it is left out of the export",
                "warning: systemd cannot carry web's liveness_probe; it is left out of the export",
                "warning: systemd cannot carry worker's availability.max_restarts; it is left out of the export",
                "warning: systemd cannot carry worker's ready_log_line; it is left out of the export",
                "warning: systemd cannot carry worker's log_location; it is left out of the export",
            ],
            SettingsCarriage.Warnings("systemd", request));
        Assert.Contains("warning: kubernetes cannot carry web's shutdown.signal; it is left out of the export", SettingsCarriage.Warnings("kubernetes", request));
        Assert.Contains("warning: kubernetes cannot carry worker's working_dir; it is left out of the export", SettingsCarriage.Warnings("kubernetes", request));
        Assert.Contains("warning: compose cannot carry web's liveness_probe; it is left out of the export", SettingsCarriage.Warnings("compose", request));
        Assert.Empty(SettingsCarriage.Warnings("systemd", Fixtures.Request()));
    }

    [Fact]
    public void Kubernetes_probes_read_back_strictly_with_their_ports_and_timing()
    {
        var files = Exporters.Export("kubernetes", Request(image: "registry.example/myapp:1.4", user: null)).Value;
        var deployment = files.Where(f => f.Path != "kustomization.yaml")
            .SelectMany(f => KubernetesYaml.LoadAllFromString(f.Content, strict: true))
            .OfType<V1Deployment>()
            .Single(d => d.Metadata.Name == "myapp-web");
        var container = deployment.Spec.Template.Spec.Containers.Single();

        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("5000", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Null(container.ReadinessProbe.HttpGet.Host);
        Assert.Equal((2, 5, 4), (container.ReadinessProbe.InitialDelaySeconds, container.ReadinessProbe.PeriodSeconds, container.ReadinessProbe.FailureThreshold));
        Assert.Equal("5000", container.LivenessProbe.TcpSocket.Port.Value);
        Assert.Equal(["/bin/sh", "-c", "kill -QUIT $(cat pid)"], container.Lifecycle.PreStop.Exec.Command);
        Assert.Equal(20, deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Contains(container.Env, e => e.Name == "WEB_ONLY" && e.Value == "1");
        Assert.Contains("port: 5000\n", files.Single(f => f.Path.Contains("web", StringComparison.Ordinal) && f.Path.Contains("deployment", StringComparison.OrdinalIgnoreCase)).Content, StringComparison.Ordinal);
    }

    [RequiresComposeFact("v1")]
    public void Docker_compose_accepts_the_healthcheck_and_the_conditions_of_depends_on() => AcceptsHealthcheck(ComposeTool.V1);

    [RequiresComposeFact("v2")]
    public void Compose_v2_accepts_the_healthcheck_and_the_conditions_of_depends_on() => AcceptsHealthcheck(ComposeTool.V2);

    private void AcceptsHealthcheck(ComposeTool compose)
    {
        var files = Exporters.Export("compose", Request(image: "registry.example/myapp:1.4"));
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(_tmp.Path, "myapp", "compose", files.Value).Ok);

        var (code, stdout, stderr) = compose.Run(["-f", _tmp.Combine("compose.yaml"), "-p", "myapp", "config"]);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("condition: service_started", stdout, StringComparison.Ordinal);
        Assert.Contains("healthcheck:", stdout, StringComparison.Ordinal);
        Assert.Contains("curl -fsS -o /dev/null 'http://127.0.0.1:$$PORT/health'", stdout, StringComparison.Ordinal);
        Assert.Contains("start_period: 2s", stdout, StringComparison.Ordinal);
        Assert.Contains("stop_signal: SIGINT", stdout, StringComparison.Ordinal);
        Assert.Contains("stop_grace_period: 20s", stdout, StringComparison.Ordinal);
        Assert.Contains("restart: always", stdout, StringComparison.Ordinal);
    }
}
