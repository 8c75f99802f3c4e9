using System.Globalization;
using System.Text;
using Drover.Core.Diagnostics;

namespace Drover.Export.Compose;

/// <summary>
/// Docker Compose: one <c>compose.yaml</c> with a service per type, <c>deploy.replicas</c> = count, the env
/// inline, and the stop timeout as <c>stop_grace_period</c>.
/// </summary>
/// <remarks>
/// As in Kubernetes, every replica shares its type's PORT; each container has its own network namespace.
/// </remarks>
public sealed class ComposeExporter : IExporter
{
    /// <inheritdoc/>
    public string Format => "compose";

    /// <inheritdoc/>
    public string Description => "compose.yaml with a service per type and deploy.replicas (needs --image)";

    /// <inheritdoc/>
    public Result<IReadOnlyList<ExportFile>> Export(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Image))
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(new Diagnostic("--image", 0, 0,
                "compose needs the container image to run, e.g. --image registry.example/myapp:1.4"));
        }

        var sb = new StringBuilder();
        sb.Append("# ").Append(request.App).Append(": `docker compose -p ").Append(request.App)
            .Append(" up -d` runs the formation (or `docker stack deploy -c compose.yaml ").Append(request.App).Append("`).\n");
        sb.Append("# Written by `drover export compose`: export again rather than editing.\n");
        // No top-level `name:` (Compose v2 only: docker-compose 1.29 and `docker stack deploy` reject it), and a
        // `version:` that 1.29 needs and v2 ignores; 3.8 has `init`, `deploy` and `update_config.order`.
        sb.Append("version: \"3.8\"\n");
        sb.Append("services:\n");
        // Types with a count of 0 are kept with replicas: 0, so `docker compose up --scale` can start them.
        foreach (var entry in request.Formation.Entries)
        {
            string type = entry.Type.Name;
            string port = request.Port(entry, 1);
            var settings = request.SettingsOf(type);
            sb.Append("  ").Append(ComposeYaml.Quote(type)).Append(":\n");
            sb.Append("    image: ").Append(ComposeYaml.Quote(request.Image)).Append('\n');
            sb.Append("    command: [").Append(ComposeYaml.Quote(PortPrologue.Shell)).Append(", \"-c\", ")
                .Append(ComposeYaml.Quote(entry.Type.Command)).Append("]\n");
            if (request.WorkingDirectoryGiven || settings.WorkingDirectory is string dir && Path.IsPathRooted(dir))
            {
                sb.Append("    working_dir: ").Append(ComposeYaml.Quote(Systemd.SystemdSettings.WorkingDirectory(request, type))).Append('\n');
            }
            if (request.User is not null)
            {
                sb.Append("    user: ").Append(ComposeYaml.Quote(request.User)).Append('\n');
            }
            sb.Append("    environment:\n");
            var env = request.EnvironmentOf(type)
                .Append(new("PORT", port))
                .Append(new("PS", type))
                .Append(new("DYNO", type))
                .OrderBy(e => e.Key, StringComparer.Ordinal);
            foreach (var (key, value) in env)
            {
                sb.Append("      ").Append(ComposeYaml.Quote(key)).Append(": ").Append(ComposeYaml.Quote(value)).Append('\n');
            }
            if (request.Listens(type))
            {
                sb.Append("    expose: [").Append(ComposeYaml.Quote(port)).Append("]\n");
            }
            // An init process as PID 1 (docker-init, catatonit): the command's process is not PID 1, so SIGTERM's
            // default action applies and a stop does not wait out the grace period; it also reaps orphans.
            sb.Append("    init: true\n");
            ComposeSettings.DependsOn(sb, settings);
            ComposeSettings.Healthcheck(sb, settings);
            var (restart, condition, attempts) = ComposeSettings.Restart(settings);
            sb.Append("    restart: ").Append(restart).Append('\n');
            sb.Append("    stop_signal: ").Append(settings.Shutdown.Signal is int signal ? Core.Supervision.Signals.Name(signal) : "SIGTERM").Append('\n');
            sb.Append("    stop_grace_period: ").Append(settings.Shutdown.Timeout is TimeSpan grace
                ? ComposeSettings.Seconds(grace)
                : request.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture) + "s").Append('\n');
            sb.Append("    deploy:\n");
            sb.Append("      replicas: ").Append(entry.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            // A swarm ignores `restart:` and reads these; Compose ignores update_config.
            sb.Append("      restart_policy:\n");
            sb.Append("        condition: ").Append(condition).Append('\n');
            if (attempts is int max)
            {
                sb.Append("        max_attempts: ").Append(max.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            // Drover's rolling-restart rule: one at a time, the new one started before the old one stops.
            sb.Append("      update_config:\n");
            sb.Append("        parallelism: 1\n");
            sb.Append("        order: start-first\n");
        }
        var mode = request.Environment.Count > 0 || request.HasTypeEnvironment ? ExportFile.Private : ExportFile.Public;
        return Result<IReadOnlyList<ExportFile>>.Success([new ExportFile("compose.yaml", sb.ToString(), mode)]);
    }
}
