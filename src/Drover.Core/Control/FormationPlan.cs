using Drover.Core.Formation;

namespace Drover.Core.Control;

/// <summary>What a (re)loaded app wants to run: a factory for its instances and the count of each type.</summary>
/// <param name="Factory">Creates instances with the current commands, ports and environment.</param>
/// <param name="Formation">The count of each type, as the command-line <c>-m</c> and types decide.</param>
public sealed record FormationPlan(InstanceFactory Factory, Formation.Formation Formation);
