namespace Drover.Core.Settings;

/// <summary>What a reload does about a type whose settings changed (docs/settings.md, "Reload").</summary>
public enum SettingsChange
{
    /// <summary>Nothing that matters to a running instance changed.</summary>
    None,

    /// <summary>Only policies read when they are used changed: applied to the running instances as they are.</summary>
    InPlace,

    /// <summary>Something the process or its probes are made from changed: the instances are recreated, rolling.</summary>
    Recreate,
}

/// <summary>Compares a type's settings before and after a reload.</summary>
public static class SettingsChanges
{
    /// <summary>
    /// <see cref="SettingsChange.Recreate"/> when a probe or the ready log line changed (a probe is part of what
    /// a process is started with, as in a Kubernetes pod template and process-compose's reload; the roll then
    /// waits for the new readiness check, so a wrong new probe stops at the first instance);
    /// <see cref="SettingsChange.InPlace"/> when only availability, shutdown or dependencies changed. The command,
    /// environment (with env files) and working directory are compared on the process itself, by the caller.
    /// Where in the file a key is (<see cref="TypeSettings.Source"/>) does not count.
    /// </summary>
    public static SettingsChange Between(TypeSettings before, TypeSettings after)
    {
        if (Bare(before.Readiness) != Bare(after.Readiness) || Bare(before.Liveness) != Bare(after.Liveness) || before.ReadyLogLine != after.ReadyLogLine)
        {
            return SettingsChange.Recreate;
        }
        bool sameDependencies = before.DependsOn.Select(d => (d.Type, d.Condition)).SequenceEqual(after.DependsOn.Select(d => (d.Type, d.Condition)));
        return before.Availability != after.Availability || before.Shutdown != after.Shutdown || !sameDependencies
            ? SettingsChange.InPlace
            : SettingsChange.None;
    }

    private static ProbeSpec? Bare(ProbeSpec? probe) => probe is null ? null : probe with { Source = null };
}
