using System.Globalization;
using System.Text;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;

namespace Drover.Export.Runit;

/// <summary>
/// runit: one service directory <c>APP-TYPE.N</c> per instance, each with an executable <c>run</c> that execs the
/// command through <c>chpst</c> (user, process group, environment from <c>env/</c>), a <c>control/t</c> that
/// stops the whole process group with a SIGKILL deadline, and a <c>log/run</c> that keeps the output with svlogd.
/// </summary>
public sealed class RunitExporter : IExporter
{
    /// <inheritdoc/>
    public string Format => "runit";

    /// <inheritdoc/>
    public string Description => "a service directory APP-TYPE.N per instance (run, env/ for chpst -e, control/t, log/run)";

    /// <inheritdoc/>
    public Result<IReadOnlyList<ExportFile>> Export(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<Diagnostic>();
        if (ExportValidation.IsNumericUser(request.RunAs))
        {
            errors.Add(new Diagnostic("-u", 0, 0, "runit needs a user name, not a numeric id (chpst -u looks the name up)"));
        }
        foreach (var (key, value) in request.SortedEnvironment())
        {
            // chpst -e removes trailing blanks from a value and cannot carry a NUL (it stands for a newline).
            if (value.Length > 0 && (value[^1] is ' ' or '\t' || value.Contains('\0', StringComparison.Ordinal)))
            {
                errors.Add(new Diagnostic("runit", 0, 0,
                    $"the value of {key} ends with a space or tab (or has a NUL), which chpst -e cannot carry"));
            }
        }
        if (errors.Count > 0)
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(errors);
        }

        var files = new List<ExportFile>();
        foreach (var entry in request.Running())
        {
            for (int k = 1; k <= entry.Count; k++)
            {
                Service(files, request, entry, k);
            }
        }
        return Result<IReadOnlyList<ExportFile>>.Success(files);
    }

    private static void Service(List<ExportFile> files, ExportRequest request, FormationEntry entry, int index)
    {
        var instance = new InstanceName(entry.Type.Name, index);
        string dir = $"{request.App}-{instance}";
        string port = request.Port(entry, index);

        // chpst -e reads these before switching user, so they can stay readable by root only.
        var env = request.SortedEnvironment()
            .Append(new("PORT", port))
            .Append(new("PS", instance.ToString()))
            .Append(new("DYNO", instance.ToString()))
            .ToList();
        foreach (var (key, value) in env.Where(e => e.Value.Length > 0))
        {
            // One file per variable: its first line is the value, a NUL in it stands for a newline.
            files.Add(new ExportFile($"{dir}/env/{key}", value.Replace('\n', '\0') + "\n", ExportFile.Private));
        }
        // An empty file would unset the variable, so empty values are set on the command line (they hold no secret).
        var empty = env.Where(e => e.Value.Length == 0).Select(e => e.Key + "=").ToList();

        var run = new StringBuilder();
        run.Append("#!/bin/sh\n");
        run.Append("# ").Append(request.App).Append(' ').Append(instance.ToString()).Append(" (PORT ").Append(port)
            .Append(") for runit. Written by `drover export runit`: export again rather than editing.\n");
        run.Append("exec 2>&1\n");
        run.Append("envdir=\"$(pwd)/env\"\n");
        run.Append("cd ").Append(ShellQuoting.Quote(request.WorkingDirectory)).Append(" || exit 1\n");
        run.Append("# -P: a process group of its own, which control/t stops as a whole.\n");
        run.Append("exec chpst -P -u ").Append(request.RunAs).Append(" -e \"$envdir\"");
        if (empty.Count > 0)
        {
            run.Append(" env ").AppendJoin(' ', empty.Select(ShellQuoting.Quote));
        }
        run.Append(' ').Append(PortPrologue.Shell).Append(" -c ").Append(ShellQuoting.Quote(entry.Type.Command)).Append('\n');
        files.Add(new ExportFile($"{dir}/run", run.ToString(), ExportFile.Executable));

        files.Add(new ExportFile($"{dir}/control/t", StopScript(request.StopTimeoutSeconds), ExportFile.Executable));

        var log = new StringBuilder();
        log.Append("#!/bin/sh\n");
        log.Append("# The output of ").Append(request.App).Append(' ').Append(instance.ToString())
            .Append(": svlogd keeps it in ./main (current, then rotated files), with UTC timestamps.\n");
        log.Append("mkdir -p main\n");
        log.Append("exec svlogd -tt main\n");
        files.Add(new ExportFile($"{dir}/log/run", log.ToString(), ExportFile.Executable));
    }

    private static string StopScript(int timeout)
    {
        string seconds = timeout.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        sb.Append("# runsv runs this instead of sending SIGTERM to the main process only (sv down, sv restart, runsvdir\n");
        sb.Append("# stopping): SIGTERM the service's whole process group, then SIGKILL what is left of it after ")
            .Append(seconds).Append(" s.\n");
        sb.Append("pid=$(cat supervise/pid 2>/dev/null)\n");
        sb.Append("# Not running, or no pid yet: let runsv signal as usual.\n");
        sb.Append("[ -n \"$pid\" ] || exit 1\n");
        sb.Append("kill -s TERM -- \"-$pid\" 2>/dev/null || exit 1\n");
        sb.Append("kill -s CONT -- \"-$pid\" 2>/dev/null\n");
        if (timeout == 0)
        {
            sb.Append("kill -s KILL -- \"-$pid\" 2>/dev/null\n");
        }
        else
        {
            sb.Append("# In the background, so runsv is not kept waiting.\n");
            sb.Append("(sleep ").Append(seconds).Append("; kill -s KILL -- \"-$pid\" 2>/dev/null) </dev/null >/dev/null 2>&1 &\n");
        }
        sb.Append("exit 0\n");
        return sb.ToString();
    }
}
