using System.Text;

namespace Drover.Bench.Tools;

/// <summary>
/// No manager: one POSIX shell starts the commands as background jobs and waits. On SIGTERM it signals its
/// jobs and waits for them. With <see cref="Workload.RestartLoop"/> each command runs in <c>while :; do ...; done</c>,
/// the floor for crash-to-restart latency.
/// </summary>
internal sealed class Baseline : Tool
{
    public override string Id => "none";
    public override string Display => "no manager";
    public override string Version() => "dash " + DebianVersion("dash");

    public override LaunchSpec Prepare(Workload workload, string dir)
    {
        var sh = new StringBuilder();
        sh.AppendLine("pids=");
        sh.AppendLine("trap 'kill $pids 2>/dev/null; wait; exit 0' TERM");
        foreach (var t in workload.Types)
        {
            string body = workload.RestartLoop ? $"while :; do {t.CommandLine}; done" : t.CommandLine;
            sh.AppendLine($"i=0; while [ $i -lt {t.Count} ]; do {body} & pids=\"$pids $!\"; i=$((i+1)); done");
        }
        sh.AppendLine("wait");
        File.WriteAllText(Path.Combine(dir, "baseline.sh"), sh.ToString());
        return new LaunchSpec("/bin/sh", [Path.Combine(dir, "baseline.sh")]);
    }

    internal static string DebianVersion(string package)
    {
        var line = FirstLine("dpkg-query", "-W", "-f=${Version}", package);
        return line;
    }
}
