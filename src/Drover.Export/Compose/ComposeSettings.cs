using System.Globalization;
using System.Text;
using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Export.Compose;

/// <summary>The per-type settings (docs/settings.md) of a Compose service.</summary>
internal static class ComposeSettings
{
    /// <summary><c>restart:</c> (Compose) and the swarm's <c>restart_policy</c> condition and attempts.</summary>
    public static (string Restart, string Condition, int? MaxAttempts) Restart(TypeSettings settings)
    {
        var a = settings.Availability;
        return a.ExitOnFailure ? ("\"no\"", "none", null) : a.Restart switch
        {
            RestartPolicy.Always => ("always", "any", a.MaxRestarts),
            RestartPolicy.Never => ("\"no\"", "none", null),
            _ => (a.MaxRestarts is int max ? $"on-failure:{max}" : "on-failure", "on-failure", a.MaxRestarts),
        };
    }

    /// <summary><c>depends_on</c> in its long form, with Compose's conditions.</summary>
    public static void DependsOn(StringBuilder sb, TypeSettings settings)
    {
        if (settings.DependsOn.Count == 0)
        {
            return;
        }
        sb.Append("    depends_on:\n");
        foreach (var dependency in settings.DependsOn)
        {
            string condition = dependency.Condition switch
            {
                DependencyCondition.Healthy => "service_healthy",
                DependencyCondition.CompletedSuccessfully => "service_completed_successfully",
                _ => "service_started", // completed and log_ready: named in the export's warnings
            };
            sb.Append("      ").Append(ComposeYaml.Quote(dependency.Type)).Append(":\n");
            sb.Append("        condition: ").Append(condition).Append('\n');
        }
    }

    /// <summary>A <c>healthcheck</c> from the readiness probe: exec as is, HTTP through curl or wget, TCP through nc.</summary>
    public static void Healthcheck(StringBuilder sb, TypeSettings settings)
    {
        if (settings.Readiness is not ProbeSpec probe)
        {
            return;
        }
        string command = probe.Check switch
        {
            ProbeCheck.Exec e => e.WorkingDirectory is string dir ? $"cd '{dir.Replace("'", "'\\''", StringComparison.Ordinal)}' && {e.Command}" : e.Command,
            ProbeCheck.Http h => Http(h),
            ProbeCheck.Tcp t => $"nc -z {t.Host} {Port(t.Port)}",
            _ => "true",
        };
        sb.Append("    healthcheck:\n");
        sb.Append("      test: [\"CMD-SHELL\", ").Append(ComposeYaml.Quote(command)).Append("]\n");
        sb.Append("      interval: ").Append(Seconds(probe.Period)).Append('\n');
        sb.Append("      timeout: ").Append(Seconds(probe.Timeout)).Append('\n');
        sb.Append("      retries: ").Append(probe.FailureThreshold.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("      start_period: ").Append(Seconds(probe.InitialDelay)).Append('\n');
    }

    private static string Http(ProbeCheck.Http h)
    {
        string url = $"{h.Scheme}://{h.Host}:{Port(h.Port)}{h.Path}";
        return h.ExpectedStatus is int status
            ? $"test \"$(curl -s -o /dev/null -w '%{{http_code}}' '{url}')\" = {status.ToString(CultureInfo.InvariantCulture)}"
            : $"curl -fsS -o /dev/null '{url}' || wget -q -O /dev/null '{url}'";
    }

    private static string Port(int? port) => port is int p ? p.ToString(CultureInfo.InvariantCulture) : "$PORT";

    /// <summary>A Compose duration: <c>10s</c>, <c>1.5s</c>.</summary>
    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
