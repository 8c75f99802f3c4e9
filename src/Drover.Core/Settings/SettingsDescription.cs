using System.Globalization;
using Drover.Core.Supervision;

namespace Drover.Core.Settings;

/// <summary>The settings of a type in words, as <c>drover check</c> prints them (docs/settings.md).</summary>
public static class SettingsDescription
{
    /// <summary>One line per setting in effect for <paramref name="type"/>; the restart policy always.</summary>
    public static List<string> Lines(TypeSettings type)
    {
        var lines = new List<string>();
        var a = type.Availability;
        string policy = a.ExitOnFailure ? "exit_on_failure (a failure stops the formation with its exit code)"
            : a.Restart is RestartPolicy p ? RestartName(p)
            : "as --restart (default on_failure)";
        string backoff = a.BackoffSeconds is double b ? $", {Seconds(b)} between restarts" : "";
        string max = a.MaxRestarts is int m ? $", given up after {m} restarts in a row" : "";
        lines.Add($"restart: {policy}{backoff}{max}");
        if (type.Disabled)
        {
            lines.Add("disabled: starts only with `drover start " + type.Type + "` or a scale");
        }
        if (type.Replicas is int replicas)
        {
            lines.Add($"replicas: {replicas} (-m wins)");
        }
        if (type.DependsOn.Count > 0)
        {
            lines.Add("depends on: " + string.Join(", ", type.DependsOn.Select(d => $"{d.Type} ({Condition(d.Condition)})")));
        }
        if (type.Readiness is ProbeSpec readiness)
        {
            lines.Add("readiness: " + Probe(readiness));
        }
        if (type.ReadyLogLine is string line)
        {
            lines.Add($"ready when a line matches /{line}/");
        }
        if (type.Liveness is ProbeSpec liveness)
        {
            lines.Add("liveness: " + Probe(liveness) + "; restarted when it fails");
        }
        var s = type.Shutdown;
        if (s != ShutdownSpec.Inherit)
        {
            var parts = new List<string>();
            if (s.Command is string command)
            {
                parts.Add($"runs '{command}'");
            }
            parts.Add($"{Signals.Name(s.Signal ?? Signals.Term)}");
            parts.Add(s.Timeout is TimeSpan t ? $"SIGKILL after {Seconds(t.TotalSeconds)}" : "SIGKILL after -t");
            lines.Add("stop: " + string.Join(", then ", parts));
        }
        if (type.WorkingDirectory is string dir)
        {
            lines.Add($"working directory: {dir}");
        }
        if (type.EnvFiles.Count > 0)
        {
            lines.Add("env files: " + string.Join(", ", type.EnvFiles));
        }
        if (type.Environment.Count > 0)
        {
            // Names only: values may be secrets.
            lines.Add("environment: " + string.Join(", ", type.Environment.Select(e => e.Key).Distinct()));
        }
        if (type.Watch is WatchSpec watch)
        {
            lines.Add("watch: " + string.Join(", ", watch.Paths) + (watch.Ignore.Count > 0 ? " ignoring " + string.Join(", ", watch.Ignore) : "")
                + (watch.RestartDependents ? ", restarting its dependents too" : ""));
        }
        return lines;
    }

    /// <summary>The start order in words: <c>1: db, cache  2: web</c>.</summary>
    public static string Order(IReadOnlyList<IReadOnlyList<string>> levels) =>
        string.Join("  ", levels.Select((l, i) => $"{i + 1}: {string.Join(", ", l)}"));

    /// <summary>A probe in words: what it checks and when.</summary>
    public static string Probe(ProbeSpec probe)
    {
        string check = probe.Check switch
        {
            ProbeCheck.Tcp t => $"TCP connect to {t.Host}:{Port(t.Port)}",
            ProbeCheck.Http h => $"HTTP GET {h.Scheme}://{h.Host}:{Port(h.Port)}{h.Path} expecting {(h.ExpectedStatus is int code ? code.ToString(CultureInfo.InvariantCulture) : "2xx or 3xx")}",
            ProbeCheck.Exec e => $"command '{e.Command}' exits 0" + (e.WorkingDirectory is string d ? $" (in {d})" : ""),
            _ => "?",
        };
        return $"{check}, every {Seconds(probe.Period.TotalSeconds)} (first after {Seconds(probe.InitialDelay.TotalSeconds)}), "
            + $"timeout {Seconds(probe.Timeout.TotalSeconds)}, {probe.SuccessThreshold} to pass, {probe.FailureThreshold} to fail";
    }

    /// <summary>process-compose's name of a condition.</summary>
    public static string Condition(DependencyCondition condition) => condition switch
    {
        DependencyCondition.Started => "process_started",
        DependencyCondition.Healthy => "process_healthy",
        DependencyCondition.Completed => "process_completed",
        DependencyCondition.CompletedSuccessfully => "process_completed_successfully",
        _ => "process_log_ready",
    };

    private static string RestartName(RestartPolicy policy) => policy switch
    {
        RestartPolicy.Always => "always",
        RestartPolicy.OnFailure => "on_failure",
        _ => "no",
    };

    private static string Port(int? port) => port is int p ? p.ToString(CultureInfo.InvariantCulture) : "$PORT";

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
