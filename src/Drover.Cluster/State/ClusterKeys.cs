using Drover.Core.Formation;

namespace Drover.Cluster.State;

/// <summary>Where an app's cluster state lives in etcd: everything under <c>/drover/APP/</c>.</summary>
/// <param name="App">The app name.</param>
public sealed record ClusterKeys(string App)
{
    /// <summary>The app's prefix, <c>/drover/APP/</c>.</summary>
    public string Prefix => $"/drover/{App}/";

    /// <summary>The desired formation (<see cref="DesiredState"/>).</summary>
    public string Desired => Prefix + "desired";

    /// <summary>Prefix of the live agents (<see cref="NodeRecord"/>, attached to each agent's lease).</summary>
    public string NodesPrefix => Prefix + "nodes/";

    /// <summary>Prefix of slot claims (<see cref="SlotClaim"/>, attached to the owner's lease).</summary>
    public string SlotsPrefix => Prefix + "slots/";

    /// <summary>Prefix of the restart generations that <c>drover cluster restart</c> raises.</summary>
    public string RestartsPrefix => Prefix + "restart/";

    /// <summary>The key of one agent.</summary>
    public string Node(string node) => NodesPrefix + node;

    /// <summary>The claim key of one slot.</summary>
    public string Slot(InstanceName slot) => SlotsPrefix + slot;

    /// <summary>The restart generation key of one slot.</summary>
    public string Restart(InstanceName slot) => RestartsPrefix + slot;

    /// <summary>True when <paramref name="app"/> can be part of a key: letters, digits, '-', '_' and '.'.</summary>
    public static bool IsValidName(string app) =>
        app.Length is > 0 and <= 128 && app.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
