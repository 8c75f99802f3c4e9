using System.Globalization;
using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Export.Supervisord;

/// <summary>The per-type settings (docs/settings.md) in a supervisord program section.</summary>
internal static class SupervisordSettings
{
    /// <summary>
    /// <c>priority</c> by dependency level (100, 110, 120...) when the settings file has any <c>depends_on</c>;
    /// null otherwise (supervisord's default, 999, for all).
    /// </summary>
    public static int? Priority(ExportRequest request, string type)
    {
        var types = request.Running().Select(e => e.Type.Name).ToList();
        if (!types.Any(t => request.SettingsOf(t).DependsOn.Count > 0))
        {
            return null;
        }
        var levels = DependencyGraph.Levels(request.Settings, types);
        return 100 + 10 * levels.FindIndex(l => l.Contains(type));
    }

    /// <summary><c>autorestart</c>: true (always), unexpected (on_failure, Drover's default) or false.</summary>
    public static string AutoRestart(ExportRequest request, string type)
    {
        var a = request.SettingsOf(type).Availability;
        return a.ExitOnFailure ? "false" : a.Restart switch
        {
            RestartPolicy.Always => "true",
            RestartPolicy.Never => "false",
            _ => "unexpected",
        };
    }

    /// <summary><c>stopsignal</c>, by name without SIG (TERM, INT, QUIT, KILL, HUP, USR1, USR2).</summary>
    public static string StopSignal(ExportRequest request, string type) =>
        request.SettingsOf(type).Shutdown.Signal is int signal && Signals.Name(signal).StartsWith("SIG", StringComparison.Ordinal)
            ? Signals.Name(signal)[3..]
            : "TERM";

    /// <summary><c>stopwaitsecs</c> (whole seconds, at least the type's timeout).</summary>
    public static string StopWait(ExportRequest request, string type) =>
        ((int)Math.Ceiling(request.SettingsOf(type).Shutdown.Timeout?.TotalSeconds ?? request.StopTimeoutSeconds))
            .ToString(CultureInfo.InvariantCulture);
}
