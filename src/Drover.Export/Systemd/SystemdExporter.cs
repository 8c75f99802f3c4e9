using System.Globalization;
using System.Text;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;

namespace Drover.Export.Systemd;

/// <summary>
/// systemd: an <c>APP.target</c> that wants every instance, one template unit <c>APP-TYPE@.service</c> per
/// type whose instance name is the instance number (<c>myapp-web@2.service</c> is <c>web.2</c>), and, when the
/// env files set anything, <c>APP.env</c> with the values.
/// </summary>
/// <remarks>
/// Templates rather than one unit per instance: one file per type states the command once, and
/// <c>systemctl start myapp-web@4</c> adds an instance without exporting again. systemd cannot do arithmetic, so
/// PORT is computed from <c>%i</c> by <see cref="PortPrologue"/>. Why each setting: docs/export.md.
/// </remarks>
public sealed class SystemdExporter : IExporter
{
    /// <inheritdoc/>
    public string Format => "systemd";

    /// <inheritdoc/>
    public string Description => "APP.target + a template unit APP-TYPE@.service per type + APP.env (journald, restart on failure)";

    /// <inheritdoc/>
    public Result<IReadOnlyList<ExportFile>> Export(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Check(request);
        if (errors.Count > 0)
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(errors);
        }

        var files = new List<ExportFile> { Target(request) };
        foreach (var entry in request.Running())
        {
            files.Add(Template(request, entry));
        }
        if (request.Environment.Count > 0)
        {
            files.Add(EnvironmentFile(request));
        }
        foreach (var entry in request.Running().Where(e => request.TypeEnvironment(e.Type.Name).Count > 0))
        {
            files.Add(EnvironmentFile(request, entry.Type.Name));
        }
        return Result<IReadOnlyList<ExportFile>>.Success(files);
    }

    /// <summary>The unit name of instance <paramref name="index"/> of <paramref name="type"/>.</summary>
    public static string UnitName(string app, string type, int index) =>
        $"{app}-{type}@{index.ToString(CultureInfo.InvariantCulture)}.service";

    private static List<Diagnostic> Check(ExportRequest request)
    {
        var errors = new List<Diagnostic>();
        foreach (var (name, value) in request.SortedEnvironment().Concat(request.Running().SelectMany(e => request.TypeEnvironment(e.Type.Name))))
        {
            if (!SystemdQuoting.IsValidName(name))
            {
                errors.Add(new Diagnostic("systemd", 0, 0,
                    $"variable {UserText.Quote(name)} cannot be set by systemd: names may only have letters, digits and '_'"));
            }
            else if (!SystemdQuoting.IsValidValue(value))
            {
                errors.Add(new Diagnostic("systemd", 0, 0,
                    $"the value of {name} has a control character systemd does not accept (only tab and newline are allowed)"));
            }
        }
        if (request.WorkingDirectory.Any(char.IsControl))
        {
            errors.Add(new Diagnostic("-d", 0, 0, "the app root has a control character in its path"));
        }
        return errors;
    }

    private static ExportFile Target(ExportRequest request)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(request.App).Append(": every instance of the formation. Start or stop them all with\n");
        sb.Append("# `systemctl start|stop ").Append(request.App).Append(".target`; enable it to start at boot.\n");
        sb.Append(Header);
        sb.Append("[Unit]\n");
        sb.Append("Description=").Append(request.App).Append('\n');
        foreach (var entry in request.Running())
        {
            var units = Enumerable.Range(1, entry.Count).Select(k => UnitName(request.App, entry.Type.Name, k));
            sb.Append("Wants=").AppendJoin(' ', units).Append('\n');
        }
        sb.Append('\n');
        sb.Append("[Install]\n");
        sb.Append("WantedBy=multi-user.target\n");
        return new ExportFile($"{request.App}.target", sb.ToString(), ExportFile.Public);
    }

    private static ExportFile Template(ExportRequest request, FormationEntry entry)
    {
        string type = entry.Type.Name;
        string name = $"{request.App}-{type}";
        string basePort = request.Port(entry, 1);
        var sb = new StringBuilder();
        sb.Append("# ").Append(request.App).Append(' ').Append(type).Append(": instance N is ").Append(type)
            .Append(".N, with PORT ").Append(basePort).Append(" + N - 1 (").Append(UnitName(request.App, type, 1))
            .Append(" is ").Append(type).Append(".1 on ").Append(basePort).Append(").\n");
        sb.Append(Header);
        sb.Append("[Unit]\n");
        sb.Append("Description=").Append(request.App).Append(' ').Append(type).Append(".%i\n");
        // Stopping or restarting the target stops or restarts every instance.
        sb.Append("PartOf=").Append(request.App).Append(".target\n");
        SystemdSettings.Dependencies(sb, request, entry);
        sb.Append('\n');
        sb.Append("[Service]\n");
        // exec: the start fails visibly when /bin/sh cannot be executed, instead of counting as running.
        sb.Append("Type=exec\n");
        sb.Append("User=").Append(SystemdQuoting.Plain(request.RunAs)).Append('\n');
        sb.Append("WorkingDirectory=").Append(SystemdQuoting.Plain(SystemdSettings.WorkingDirectory(request, type))).Append('\n');
        if (request.Environment.Count > 0)
        {
            // The values live in a 0600 file beside the units (%Y: the directory of this unit file), so the units
            // can be world-readable, as systemd expects, without showing a secret.
            sb.Append("EnvironmentFile=%Y/").Append(SystemdQuoting.Plain(EnvironmentFileName(request.App))).Append('\n');
        }
        if (request.TypeEnvironment(type).Count > 0)
        {
            // The type's own variables (settings file), read after the app's so they win.
            sb.Append("EnvironmentFile=%Y/").Append(SystemdQuoting.Plain(SystemdSettings.EnvironmentFileName(request.App, type))).Append('\n');
        }
        sb.Append("Environment=PS=").Append(SystemdQuoting.Plain(type)).Append(".%i DYNO=")
            .Append(SystemdQuoting.Plain(type)).Append(".%i\n");
        sb.Append("ExecStart=").Append(PortPrologue.Shell).Append(" -c '")
            .Append(PortPrologue.Script.Replace("$", "$$", StringComparison.Ordinal)).Append("' ")
            .Append(SystemdQuoting.Plain(name)).Append(" %i ").Append(basePort).Append(' ')
            .Append(SystemdQuoting.Quote(entry.Type.Command, commandLine: true)).Append('\n');
        SystemdSettings.Restart(sb, request, type);
        SystemdSettings.Stop(sb, request, type);
        // SIGTERM to the main process only, so it can stop its children itself; at the timeout, SIGKILL to
        // everything left in the unit's cgroup, grandchildren included.
        sb.Append("KillMode=mixed\n");
        sb.Append("TimeoutStopSec=").Append(StopTimeout(SystemdSettings.StopTimeout(request, type))).Append('\n');
        sb.Append("StandardInput=null\n");
        sb.Append("StandardOutput=journal\n");
        sb.Append("StandardError=journal\n");
        sb.Append("SyslogIdentifier=").Append(SystemdQuoting.Plain(name)).Append(".%i\n");
        return new ExportFile($"{name}@.service", sb.ToString(), ExportFile.Public);
    }

    /// <summary>The file with the env files' values that every unit of <paramref name="app"/> reads.</summary>
    public static string EnvironmentFileName(string app) => $"{app}.env";

    private static ExportFile EnvironmentFile(ExportRequest request)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(request.App).Append(": the variables every unit reads (EnvironmentFile=). Root only: it may hold secrets.\n");
        sb.Append("# Written by `drover export systemd`: export again rather than editing.\n");
        foreach (var (key, value) in request.SortedEnvironment())
        {
            sb.Append(key).Append('=').Append(SystemdQuoting.EnvironmentFileValue(value)).Append('\n');
        }
        return new ExportFile(EnvironmentFileName(request.App), sb.ToString(), ExportFile.Private);
    }

    private static ExportFile EnvironmentFile(ExportRequest request, string type)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(request.App).Append(' ').Append(type).Append(": its own variables from the settings file (EnvironmentFile=). Root only: it may hold secrets.\n");
        sb.Append("# Written by `drover export systemd`: export again rather than editing.\n");
        foreach (var (key, value) in request.TypeEnvironment(type))
        {
            sb.Append(key).Append('=').Append(SystemdQuoting.EnvironmentFileValue(value)).Append('\n');
        }
        return new ExportFile(SystemdSettings.EnvironmentFileName(request.App, type), sb.ToString(), ExportFile.Private);
    }

    // systemd reads 0 as "no timeout at all"; -t 0 means "kill at once", the nearest being 1 ms.
    private static string StopTimeout(double seconds) =>
        seconds == 0 ? "1ms" : seconds.ToString("0.###", CultureInfo.InvariantCulture);

    private const string Header = "# Written by `drover export systemd`: export again rather than editing.\n\n";
}
