using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Core.Probes;

/// <summary>Whether one <c>depends_on</c> entry is met.</summary>
public enum GateVerdict
{
    /// <summary>The condition holds: the dependent may start.</summary>
    Met,

    /// <summary>Not yet; it may still come.</summary>
    NotYet,

    /// <summary>It cannot come as things are (the type it depends on exited and is not restarted): only a start
    /// by hand of that type can change it. Shown, never a silent wait.</summary>
    Never,
}

/// <summary>
/// Decides whether a dependency's condition holds over the instances of the type depended on (pure; called on
/// the supervisor's loop). Every instance of that type must meet it, as process-compose requires of every
/// replica. A type with no instance in the formation (scaled to 0, not started) is not waited for.
/// </summary>
public static class DependencyGate
{
    /// <summary>The verdict for <paramref name="dependency"/>, and why when it is <see cref="GateVerdict.Never"/>.</summary>
    public static (GateVerdict Verdict, string? Why) Check(Dependency dependency, IReadOnlyList<Instance> ofType)
    {
        if (ofType.Count == 0)
        {
            return (GateVerdict.Met, null);
        }
        var verdict = GateVerdict.Met;
        foreach (var instance in ofType)
        {
            var (v, why) = CheckOne(dependency.Condition, instance);
            if (v == GateVerdict.Never)
            {
                return (v, why);
            }
            if (v == GateVerdict.NotYet)
            {
                verdict = GateVerdict.NotYet;
            }
        }
        return (verdict, null);
    }

    private static (GateVerdict, string?) CheckOne(DependencyCondition condition, Instance i)
    {
        bool exitedForGood = i.State == InstanceState.Exited;
        string exited = $"{i.Name} {i.LastExit?.ToString() ?? "exited"} and is not restarted";
        return condition switch
        {
            DependencyCondition.Started => i.Generation > 0 && i.State is not (InstanceState.Pending or InstanceState.Waiting)
                ? (GateVerdict.Met, null)
                : (GateVerdict.NotYet, null),
            DependencyCondition.Healthy => i.Ready ? (GateVerdict.Met, null)
                : exitedForGood ? (GateVerdict.Never, $"{exited} (never ready)")
                : (GateVerdict.NotYet, null),
            DependencyCondition.LogReady => i.Settings.ReadyLogLine is null
                ? (GateVerdict.Never, $"{i.Name.Type} has no ready_log_line")
                : i.LogReady ? (GateVerdict.Met, null)
                : exitedForGood ? (GateVerdict.Never, $"{exited} (its ready log line never came)")
                : (GateVerdict.NotYet, null),
            DependencyCondition.Completed => exitedForGood ? (GateVerdict.Met, null) : (GateVerdict.NotYet, null),
            DependencyCondition.CompletedSuccessfully => !exitedForGood ? (GateVerdict.NotYet, null)
                : i.LastExit?.Success == true ? (GateVerdict.Met, null)
                : (GateVerdict.Never, $"{exited}; it had to complete successfully"),
            _ => (GateVerdict.NotYet, null),
        };
    }
}
