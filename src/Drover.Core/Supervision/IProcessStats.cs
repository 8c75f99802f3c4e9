namespace Drover.Core.Supervision;

/// <summary>Resource use of process groups, summed over every process in each group.</summary>
public interface IProcessStats
{
    /// <summary>CPU time so far and resident memory now, by process group id.</summary>
    IReadOnlyDictionary<int, GroupUsage> Sample();
}

/// <summary>What one process group uses.</summary>
/// <param name="Cpu">User + system CPU time of the group's live processes.</param>
/// <param name="RssBytes">Resident memory of the group's processes.</param>
public readonly record struct GroupUsage(TimeSpan Cpu, long RssBytes);
