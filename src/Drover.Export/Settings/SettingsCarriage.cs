using Drover.Core.Settings;

namespace Drover.Export.Settings;

/// <summary>
/// Which settings of docs/settings.md each export format carries. Whatever a type sets that its format cannot
/// carry is named in a warning (per key and format), never dropped silently.
/// </summary>
public static class SettingsCarriage
{
    private static readonly Dictionary<string, string[]> Carried = new(StringComparer.Ordinal)
    {
        ["systemd"] = ["availability.restart", "availability.backoff_seconds", "depends_on:process_started", "shutdown.signal",
            "shutdown.timeout_seconds", "shutdown.command", "environment", "env_file", "working_dir"],
        ["supervisord"] = ["availability.restart", "depends_on:process_started", "shutdown.signal", "shutdown.timeout_seconds",
            "environment", "env_file", "working_dir"],
        ["compose"] = ["availability.restart", "availability.max_restarts", "depends_on:process_started", "depends_on:process_healthy",
            "depends_on:process_completed_successfully", "readiness_probe", "shutdown.signal", "shutdown.timeout_seconds",
            "environment", "env_file"],
        ["kubernetes"] = ["readiness_probe", "liveness_probe", "shutdown.timeout_seconds", "shutdown.command", "environment",
            "env_file"],
        ["runit"] = [],
        ["launchd"] = [],
    };

    /// <summary>One warning per setting a running type has that <paramref name="format"/> cannot carry.</summary>
    public static List<string> Warnings(string format, ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var carried = Carried.GetValueOrDefault(format) ?? [];
        var warnings = new List<string>();
        foreach (var entry in request.Running())
        {
            var settings = request.SettingsOf(entry.Type.Name);
            // The container formats: a host path means something in an image only under -d, or when absolute.
            bool containerDirectory = format is "compose" or "kubernetes"
                && (request.WorkingDirectoryGiven || settings.WorkingDirectory is string dir && Path.IsPathRooted(dir));
            foreach (string key in Keys(settings))
            {
                if (!carried.Contains(key) && !(key == "working_dir" && containerDirectory))
                {
                    string what = key.StartsWith("depends_on:", StringComparison.Ordinal)
                        ? $"depends_on with condition {key["depends_on:".Length..]}"
                        : key;
                    warnings.Add($"warning: {format} cannot carry {entry.Type.Name}'s {what}; it is left out of the export");
                }
            }
        }
        if (request.Settings.Environment.Count > 0 && !carried.Contains("environment"))
        {
            warnings.Add($"warning: {format} cannot carry the settings file's top-level environment; it is left out of the export");
        }
        return warnings;
    }

    /// <summary>The keys <paramref name="type"/> sets, in the names the warnings use.</summary>
    private static IEnumerable<string> Keys(TypeSettings type)
    {
        var a = type.Availability;
        if (a.Restart is not null && !a.ExitOnFailure)
        {
            yield return "availability.restart";
        }
        if (a.ExitOnFailure)
        {
            yield return "availability.restart: exit_on_failure";
        }
        if (a.BackoffSeconds is not null)
        {
            yield return "availability.backoff_seconds";
        }
        if (a.MaxRestarts is not null)
        {
            yield return "availability.max_restarts";
        }
        foreach (var condition in type.DependsOn.Select(d => SettingsDescription.Condition(d.Condition)).Distinct())
        {
            yield return "depends_on:" + condition;
        }
        if (type.Readiness is not null)
        {
            yield return "readiness_probe";
        }
        if (type.Liveness is not null)
        {
            yield return "liveness_probe";
        }
        if (type.ReadyLogLine is not null)
        {
            yield return "ready_log_line";
        }
        if (type.LogLocation is not null)
        {
            yield return "log_location";
        }
        if (type.Shutdown.Signal is not null)
        {
            yield return "shutdown.signal";
        }
        if (type.Shutdown.Timeout is not null)
        {
            yield return "shutdown.timeout_seconds";
        }
        if (type.Shutdown.Command is not null)
        {
            yield return "shutdown.command";
        }
        if (type.Environment.Count > 0)
        {
            yield return "environment";
        }
        if (type.EnvFiles.Count > 0)
        {
            yield return "env_file";
        }
        if (type.WorkingDirectory is not null)
        {
            yield return "working_dir";
        }
        if (type.Watch is not null)
        {
            yield return "watch";
        }
    }
}
