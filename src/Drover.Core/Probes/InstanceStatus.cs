using Drover.Core.Supervision;

namespace Drover.Core.Probes;

/// <summary>The one rule for an instance's state as people read it (ps, the dashboard).</summary>
public static class InstanceStatus
{
    /// <summary>The state's name as the control API, ps and the dashboard write it (<c>given-up</c>, <c>running</c>).</summary>
    public static string Name(InstanceState state) =>
        state == InstanceState.GivenUp ? "given-up" : state.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>waiting (db, cache)</c> while it waits; <c>running (ready)</c>, <c>running (unready)</c>, with
    /// <c>healthy</c>/<c>unhealthy</c> added when it has a liveness probe; else the state's name.
    /// </summary>
    public static string Of(InstanceSnapshot s)
    {
        string state = Name(s.State);
        if (s.State == InstanceState.Waiting)
        {
            return s.WaitingFor.Count > 0 ? $"{state} ({string.Join(", ", s.WaitingFor)})" : state;
        }
        if (s.State != InstanceState.Running)
        {
            return state;
        }
        var parts = new List<string>(2);
        if (s.HasReadinessCheck)
        {
            parts.Add(s.Ready ? "ready" : "unready");
        }
        if (s.Healthy is bool healthy)
        {
            parts.Add(healthy ? "healthy" : "unhealthy");
        }
        return parts.Count > 0 ? $"{state} ({string.Join(", ", parts)})" : state;
    }
}
