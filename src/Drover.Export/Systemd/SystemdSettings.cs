using System.Globalization;
using System.Text;
using Drover.Core.Formation;
using Drover.Core.Supervision;

namespace Drover.Export.Systemd;

/// <summary>The per-type settings (docs/settings.md) in a systemd template unit.</summary>
internal static class SystemdSettings
{
    /// <summary>The file with a type's own variables from the settings file.</summary>
    public static string EnvironmentFileName(string app, string type) => $"{app}-{type}.env";

    /// <summary><c>After=</c> and <c>Requires=</c> on every instance of each type it depends on, for [Unit].</summary>
    public static void Dependencies(StringBuilder sb, ExportRequest request, FormationEntry entry)
    {
        var units = request.SettingsOf(entry.Type.Name).DependsOn
            .Select(d => request.Formation.Entries.FirstOrDefault(e => e.Type.Name == d.Type))
            .OfType<FormationEntry>()
            .Where(e => e.Count > 0)
            .SelectMany(e => Enumerable.Range(1, e.Count).Select(k => SystemdExporter.UnitName(request.App, e.Type.Name, k)))
            .Distinct()
            .ToList();
        if (units.Count > 0)
        {
            // Started after them, and stopped before them (systemd reverses After= at shutdown).
            sb.Append("After=").AppendJoin(' ', units).Append('\n');
            sb.Append("Requires=").AppendJoin(' ', units).Append('\n');
        }
    }

    /// <summary>The working directory: the type's <c>working_dir</c> under the app root.</summary>
    public static string WorkingDirectory(ExportRequest request, string type) =>
        request.SettingsOf(type).WorkingDirectory is string dir ? Path.GetFullPath(dir, request.WorkingDirectory) : request.WorkingDirectory;

    /// <summary><c>Restart=</c> from the type's policy (Drover's default on-failure), with <c>RestartSec=</c>.</summary>
    public static void Restart(StringBuilder sb, ExportRequest request, string type)
    {
        var a = request.SettingsOf(type).Availability;
        string restart = a.ExitOnFailure ? "no" : a.Restart switch
        {
            RestartPolicy.Always => "always",
            RestartPolicy.Never => "no",
            _ => "on-failure",
        };
        sb.Append("Restart=").Append(restart).Append('\n');
        if (a.BackoffSeconds is double seconds)
        {
            sb.Append("RestartSec=").Append(Seconds(seconds)).Append('\n');
        }
    }

    /// <summary><c>KillSignal=</c> and <c>ExecStop=</c> from the type's <c>shutdown</c>.</summary>
    public static void Stop(StringBuilder sb, ExportRequest request, string type)
    {
        var shutdown = request.SettingsOf(type).Shutdown;
        if (shutdown.Command is string command)
        {
            sb.Append("ExecStop=").Append(PortPrologue.Shell).Append(" -c ").Append(SystemdQuoting.Quote(command, commandLine: true)).Append('\n');
        }
        if (shutdown.Signal is int signal)
        {
            sb.Append("KillSignal=").Append(Signals.Name(signal).StartsWith("SIG", StringComparison.Ordinal)
                ? Signals.Name(signal) : signal.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    /// <summary>The stop timeout in seconds: the type's <c>shutdown.timeout_seconds</c>, else <c>-t</c>.</summary>
    public static double StopTimeout(ExportRequest request, string type) =>
        request.SettingsOf(type).Shutdown.Timeout?.TotalSeconds ?? request.StopTimeoutSeconds;

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
