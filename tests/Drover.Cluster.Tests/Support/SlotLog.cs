using System.Globalization;

namespace Drover.Cluster.Tests.Support;

/// <summary>
/// The shared file every test process appends to: <c>UPTIME EVENT SLOT NODE PID</c> at start, every 0.2 s while
/// alive, and at SIGTERM. Uptime (/proc/uptime) is one monotonic clock for every namespace on the machine.
/// </summary>
internal sealed class SlotLog(string path)
{
    /// <summary>How often a process writes "alive"; a SIGKILLed process ran at most this long after its last line.</summary>
    public const double Period = 0.2;

    /// <summary>The Procfile line of a process type that writes to this log.</summary>
    public string ProcfileLine(string type) =>
        $"{type}: log={path}; w() {{ read up rest < /proc/uptime; echo \"$up $1 $PS $NODE $$\" >> \"$log\"; }}; "
        + "trap 'w stop; exit 0' TERM; w start; while :; do w alive; sleep " + Period.ToString(CultureInfo.InvariantCulture) + " & wait $!; done";

    /// <summary>Now, on the clock the processes log with.</summary>
    public static double Uptime() =>
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// The Procfile line of a type that logs like <see cref="ProcfileLine"/> and, after <paramref name="delay"/>
    /// seconds, accepts connections on its PORT and logs <c>ready</c> (a server that takes a moment to start).
    /// </summary>
    public string ListeningLine(string type, double delay) =>
        $"{type}: export log={path}; export SH=$$; w() {{ read up rest < /proc/uptime; echo \"$up $1 $PS $NODE $$\" >> \"$log\"; }}; "
        + "trap 'w stop; exit 0' TERM; w start; (sleep " + delay.ToString(CultureInfo.InvariantCulture) + "; exec perl -MIO::Socket::INET -e "
        + "'$s=IO::Socket::INET->new(LocalAddr=>\"127.0.0.1\",LocalPort=>$ENV{PORT},Listen=>50,ReuseAddr=>1) or die \"listen: $!\"; "
        + "open(U,\"/proc/uptime\"); ($u)=split(/ /,<U>); open(L,\">>\",$ENV{log}); print L \"$u ready $ENV{PS} $ENV{NODE} $ENV{SH}\\n\"; close L; "
        + "while($c=$s->accept){close $c}') & while :; do w alive; sleep " + Period.ToString(CultureInfo.InvariantCulture) + " & wait $!; done";

    /// <summary>When each process logged <paramref name="name"/>: (slot, node, pid, uptime).</summary>
    public IReadOnlyList<(string Slot, string Node, int Pid, double At)> Events(string name) =>
        !File.Exists(path)
            ? []
            : File.ReadAllLines(path).Select(l => l.Split(' '))
                .Where(f => f.Length == 5 && f[1] == name)
                .Select(f => (f[2], f[3], int.Parse(f[4], CultureInfo.InvariantCulture), double.Parse(f[0], CultureInfo.InvariantCulture)))
                .ToList();

    /// <summary>One process's run of a slot.</summary>
    public sealed record Run(string Slot, string Node, int Pid, double Start, double End, bool Stopped);

    /// <summary>Every run found in the file so far.</summary>
    public IReadOnlyList<Run> Runs()
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var runs = new Dictionary<(string, string, int), (double Start, double Last, bool Stopped)>();
        foreach (string line in File.ReadAllLines(path))
        {
            string[] f = line.Split(' ');
            if (f.Length != 5 || !double.TryParse(f[0], CultureInfo.InvariantCulture, out double t) || !int.TryParse(f[4], out int pid))
            {
                continue;
            }
            var key = (f[2], f[3], pid);
            var r = runs.TryGetValue(key, out var x) ? x : (Start: t, Last: t, Stopped: false);
            runs[key] = (Math.Min(r.Start, t), Math.Max(r.Last, t), r.Stopped || f[1] == "stop");
        }
        return runs.Select(kv => new Run(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value.Start,
            kv.Value.Stopped ? kv.Value.Last : kv.Value.Last + Period + 0.05, kv.Value.Stopped)).ToList();
    }

    /// <summary>Pairs of runs of the same slot that were alive at the same moment.</summary>
    public IReadOnlyList<(Run A, Run B)> Overlaps()
    {
        var found = new List<(Run, Run)>();
        foreach (var group in Runs().GroupBy(r => r.Slot))
        {
            var ordered = group.OrderBy(r => r.Start).ToList();
            for (int i = 0; i < ordered.Count; i++)
            {
                for (int j = i + 1; j < ordered.Count; j++)
                {
                    if (ordered[j].Start < ordered[i].End)
                    {
                        found.Add((ordered[i], ordered[j]));
                    }
                }
            }
        }
        return found;
    }
}
