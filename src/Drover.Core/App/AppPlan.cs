using Drover.Core.Control;
using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Core.App;

/// <summary>An app ready to run: what was loaded, and the formation with the factory for its instances.</summary>
/// <param name="App">The Procfile, env files, root and environment.</param>
/// <param name="Plan">The count of each type and the factory that makes instances with their ports.</param>
public sealed record AppPlan(LoadedApp App, FormationPlan Plan)
{
    /// <summary>How many of each type run.</summary>
    public Formation.Formation Formation => Plan.Formation;

    /// <summary>The port rule, already checked against <see cref="Formation"/>.</summary>
    public PortPlan Ports => Plan.Factory.Ports;

    /// <summary>Creates the instances, with command, directory and environment.</summary>
    public InstanceFactory Factory => Plan.Factory;

    /// <summary>The per-type settings (empty without a settings file).</summary>
    public Settings.SettingsDocument Settings => Plan.Factory.Settings;

    /// <summary>Every instance of the formation, in Procfile order, not started.</summary>
    public IReadOnlyList<Instance> CreateInstances() => Factory.CreateAll(Formation);

    /// <summary>The width output prefixes are padded to for this formation (<see cref="Output.NameWidth"/>).</summary>
    public int NameWidth => Output.NameWidth.Of(Formation.Instances().Select(i => i.ToString()));
}
