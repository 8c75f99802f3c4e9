using System.Text;

namespace Drover.Bench.Tools;

/// <summary>
/// supervisord in the foreground (<c>supervisord -n -c supervisord.conf</c>) with a config of its own in the run's
/// temp directory; each type is a <c>[program:x]</c> with <c>numprocs</c>, output sent to supervisord's stdout.
/// Everything else is supervisord's default (autorestart=unexpected, startsecs=1, stopwaitsecs=10).
/// </summary>
internal sealed class Supervisord : Tool
{
    public override string Id => "supervisord";
    public override string Display => "supervisord";
    public override string Version() => FirstLine("supervisord", "--version");

    public override LaunchSpec Prepare(Workload workload, string dir)
    {
        var conf = new StringBuilder();
        conf.AppendLine("[supervisord]");
        conf.AppendLine("nodaemon=true");
        conf.AppendLine($"logfile={dir}/supervisord.log");
        conf.AppendLine($"pidfile={dir}/supervisord.pid");
        conf.AppendLine($"childlogdir={dir}");
        foreach (var t in workload.Types)
        {
            conf.AppendLine();
            conf.AppendLine($"[program:{t.Name}]");
            conf.AppendLine($"command={t.CommandLine}");
            conf.AppendLine($"numprocs={t.Count}");
            conf.AppendLine("process_name=%(program_name)s_%(process_num)03d");
            conf.AppendLine($"directory={dir}");
            conf.AppendLine("stdout_logfile=/dev/stdout");
            conf.AppendLine("stdout_logfile_maxbytes=0");
            conf.AppendLine("redirect_stderr=true");
        }
        string path = Path.Combine(dir, "supervisord.conf");
        File.WriteAllText(path, conf.ToString());
        return new LaunchSpec("supervisord", ["-n", "-c", path]);
    }
}
