using System.Globalization;
using System.Text;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;

namespace Drover.Export.Supervisord;

/// <summary>
/// supervisord: one include-able file <c>APP.conf</c> with a <c>[program:APP-TYPE]</c> per type
/// (<c>numprocs</c> = count, processes named <c>APP-TYPE.N</c>) and a <c>[group:APP]</c> of them all.
/// </summary>
/// <remarks>
/// supervisord expands <c>%(process_num)d</c> in <c>environment</c> and <c>command</c> but has no arithmetic, so
/// PORT comes from <see cref="PortPrologue"/> with the process number as argument.
/// </remarks>
public sealed class SupervisordExporter : IExporter
{
    /// <inheritdoc/>
    public string Format => "supervisord";

    /// <inheritdoc/>
    public string Description => "APP.conf to include: [program:APP-TYPE] with numprocs per type, and [group:APP]";

    /// <inheritdoc/>
    public Result<IReadOnlyList<ExportFile>> Export(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<Diagnostic>();
        foreach (var (key, value) in request.SortedEnvironment().Concat(request.Running().SelectMany(e => request.TypeEnvironment(e.Type.Name))))
        {
            if (SupervisordQuoting.Problem(value) is { } problem)
            {
                errors.Add(new Diagnostic("supervisord", 0, 0,
                    $"the value of {key} cannot be written in supervisord's environment= setting: {problem}; " +
                    "change the value or use another format (systemd and runit carry any value)"));
            }
        }
        if (request.Running().Any(e => !SupervisordQuoting.IsPlainValue(Systemd.SystemdSettings.WorkingDirectory(request, e.Type.Name))))
        {
            errors.Add(new Diagnostic("-d", 0, 0, "the app root's path cannot be written in a supervisord file"));
        }
        if (errors.Count > 0)
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(errors);
        }

        var sb = new StringBuilder();
        sb.Append("; ").Append(request.App).Append(" for supervisord: include this file from supervisord.conf ([include] files=...),\n");
        sb.Append("; then `supervisorctl update` and `supervisorctl start ").Append(request.App).Append(":*`.\n");
        sb.Append("; Written by `drover export supervisord`: export again rather than editing.\n");
        // supervisord spawns a group's programs in the order of programs= (priority does not order them inside a
        // group): dependencies first, by the settings file's depends_on.
        var running = request.Running().OrderBy(e => SupervisordSettings.Priority(request, e.Type.Name) ?? 0).ToList();
        var programs = running.Select(e => $"{request.App}-{e.Type.Name}").ToList();
        sb.Append('\n');
        sb.Append("[group:").Append(request.App).Append("]\n");
        sb.Append("programs=").AppendJoin(',', programs).Append('\n');
        foreach (var entry in running)
        {
            sb.Append('\n');
            Program(sb, request, entry);
        }
        var mode = request.Environment.Count > 0 || request.HasTypeEnvironment ? ExportFile.Private : ExportFile.Public;
        return Result<IReadOnlyList<ExportFile>>.Success([new ExportFile($"{request.App}.conf", sb.ToString(), mode)]);
    }

    private static void Program(StringBuilder sb, ExportRequest request, FormationEntry entry)
    {
        string type = entry.Type.Name;
        string name = $"{request.App}-{type}";
        sb.Append("[program:").Append(name).Append("]\n");
        sb.Append("command=").Append(PortPrologue.Shell).Append(" -c ")
            .Append(SupervisordQuoting.CommandWord(PortPrologue.Script)).Append(' ').Append(name)
            .Append(" %(process_num)d ").Append(request.Port(entry, 1)).Append(' ')
            .Append(SupervisordQuoting.CommandWord(entry.Type.Command)).Append('\n');
        sb.Append("process_name=%(program_name)s.%(process_num)d\n");
        sb.Append("numprocs=").Append(entry.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        // Process numbers count from 1, like web.1 in drover start.
        sb.Append("numprocs_start=1\n");
        sb.Append("directory=").Append(SupervisordQuoting.Percent(Systemd.SystemdSettings.WorkingDirectory(request, type))).Append('\n');
        sb.Append("user=").Append(request.RunAs).Append('\n');
        var pairs = request.EnvironmentOf(type)
            .Select(e => SupervisordQuoting.EnvironmentPair(e.Key, e.Value)!)
            .Append($"PS=\"{type}.%(process_num)d\"")
            .Append($"DYNO=\"{type}.%(process_num)d\"");
        sb.Append("environment=").AppendJoin(',', pairs).Append('\n');
        sb.Append("autostart=true\n");
        if (SupervisordSettings.Priority(request, type) is int priority)
        {
            // Lower priorities start first and stop last: the settings file's depends_on order.
            sb.Append("priority=").Append(priority.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        // Restart after a non-zero exit or a death by signal, not after a clean exit (Drover's on-failure).
        sb.Append("autorestart=").Append(SupervisordSettings.AutoRestart(request, type)).Append('\n');
        sb.Append("exitcodes=0\n");
        sb.Append("stopsignal=").Append(SupervisordSettings.StopSignal(request, type)).Append('\n');
        sb.Append("stopwaitsecs=").Append(SupervisordSettings.StopWait(request, type)).Append('\n');
        // Signal the process group, so a shell command's children stop (and are killed) too.
        sb.Append("stopasgroup=true\n");
        sb.Append("killasgroup=true\n");
        // One log per process in supervisord's childlogdir, stderr included: `supervisorctl tail -f`.
        sb.Append("redirect_stderr=true\n");
    }
}
