using Drover.Core.Control.Wire;
using Drover.Core.Probes;
using Drover.Core.Supervision;

namespace Drover.Control;

/// <summary>
/// Turns instance snapshots into ps rows with CPU% and RSS. CPU% is measured since the previous ps (or, the
/// first time, since the process started), the way `top` shows a rate rather than a lifetime average.
/// </summary>
public sealed class PsView(IProcessStats stats)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, (DateTimeOffset At, TimeSpan Cpu)> _previous = [];

    /// <summary>One row per instance of <paramref name="snapshot"/>, with CPU% since this view's previous call.</summary>
    public List<PsEntry> Rows(IReadOnlyList<InstanceSnapshot> snapshot)
    {
        var now = DateTimeOffset.UtcNow;
        var usage = stats.Sample();
        lock (_gate)
        {
            var rows = snapshot.Select(s => Row(s, now, usage)).ToList();
            foreach (int pid in _previous.Keys.Where(p => !usage.ContainsKey(p)).ToList())
            {
                _previous.Remove(pid);
            }
            return rows;
        }
    }

    /// <summary>The state as ps, the control API and the dashboard show it: <c>running</c>, <c>given-up</c>.</summary>
    public static string StateName(InstanceState state) =>
        Core.Probes.InstanceStatus.Name(state);

    private PsEntry Row(InstanceSnapshot s, DateTimeOffset now, IReadOnlyDictionary<int, GroupUsage> usage)
    {
        double? cpu = null;
        long? rss = null;
        bool up = s.State is InstanceState.Running or InstanceState.Stopping;
        if (s.Pid is int pid && usage.TryGetValue(pid, out var u))
        {
            var (at, before) = _previous.TryGetValue(pid, out var p) ? p : (s.StartedAt ?? now, TimeSpan.Zero);
            double seconds = (now - at).TotalSeconds;
            cpu = seconds > 0 ? Math.Round(100 * (u.Cpu - before).TotalSeconds / seconds, 1) : 0;
            rss = u.RssBytes;
            _previous[pid] = (now, u.Cpu);
        }
        return new PsEntry(
            s.Name, s.Type, s.Index, StateName(s.State), s.Pid,
            up && s.StartedAt is DateTimeOffset started ? Math.Round((now - started).TotalSeconds, 1) : null,
            s.Restarts, s.Port, s.LastExit?.Code, s.LastExit?.Signal is int sig ? Signals.Name(sig) : null,
            cpu, rss, s.Command,
            s.Ready, s.Healthy, s.WaitingFor, InstanceStatus.Of(s), s.Note);
    }
}
