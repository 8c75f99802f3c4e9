using Drover.Core.Procfile;

namespace Drover.Core.Formation;

/// <summary>How many instances of each process type to run.</summary>
/// <param name="Procfile">The Procfile the counts apply to.</param>
/// <param name="Entries">One entry per process type, in Procfile order, including types with a count of 0.</param>
public sealed record Formation(ProcfileDocument Procfile, IReadOnlyList<FormationEntry> Entries)
{
    /// <summary>Every instance to run, type by type in Procfile order, <c>web.1</c>, <c>web.2</c>, ...</summary>
    public IEnumerable<InstanceName> Instances()
    {
        foreach (var entry in Entries)
        {
            for (var k = 1; k <= entry.Count; k++)
            {
                yield return new InstanceName(entry.Type.Name, k);
            }
        }
    }
}

/// <summary>The count for one process type.</summary>
/// <param name="Type">The process type.</param>
/// <param name="TypeIndex">
/// The 0-based position of the type in the Procfile, counting every type whether started or not: the port rule
/// depends on it, so disabling a type must not move the ports of the others.
/// </param>
/// <param name="Count">How many instances to run; 0 disables the type.</param>
public sealed record FormationEntry(ProcessType Type, int TypeIndex, int Count);
