using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;

namespace Drover.Core.Control;

/// <summary>
/// The multi-step control operations (scale, rolling restart, stop, start, reload) on top of the supervisor's
/// primitives. Requests are serialized: one runs at a time, the others wait their turn, so two scale
/// requests never interleave their steps.
/// </summary>
public sealed partial class FormationController : IDisposable
{
    private readonly Supervisor _supervisor;
    private readonly Func<Result<FormationPlan>> _reload;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly IProcessCapacity? _capacity;
    private readonly TimeProvider _time;
    private readonly IReadinessProbe _probe;
    private FormationPlan _plan;

    /// <summary>Creates a controller for <paramref name="supervisor"/>, which runs <paramref name="plan"/>.</summary>
    /// <param name="supervisor">The running formation.</param>
    /// <param name="plan">The current plan.</param>
    /// <param name="reload">Re-reads the Procfile and env files.</param>
    /// <param name="readinessTimeout">How long a restarted instance may take to be up.</param>
    /// <param name="capacity">What the system's limits allow; a scale-up beyond them is refused before anything starts.</param>
    /// <param name="time">The clock of the readiness deadline (the system's by default).</param>
    /// <param name="probe">When a restarted instance counts as up (by default: it accepts connections on its PORT).</param>
    public FormationController(
        Supervisor supervisor,
        FormationPlan plan,
        Func<Result<FormationPlan>> reload,
        TimeSpan readinessTimeout,
        IProcessCapacity? capacity = null,
        TimeProvider? time = null,
        IReadinessProbe? probe = null)
    {
        _capacity = capacity;
        _time = time ?? TimeProvider.System;
        _probe = probe ?? new PortReadinessProbe(_time);
        View = FormationView.Follow(supervisor);
        _supervisor = supervisor;
        _plan = plan;
        _reload = reload;
        ReadinessTimeout = readinessTimeout;
    }

    /// <summary>How long a restarted instance may take to accept connections before the roll stops.</summary>
    public TimeSpan ReadinessTimeout { get; }

    /// <summary>The process types of the current Procfile, in its order (including types scaled to 0).</summary>
    public IReadOnlyList<string> TypeNames => [.. _plan.Factory.Procfile.Types.Select(t => t.Name)];

    /// <summary>The formation's state as its changes tell it, for readers that want no trip through the supervisor's loop.</summary>
    public FormationView View { get; }

    /// <summary>Every instance's state.</summary>
    public Task<IReadOnlyList<InstanceSnapshot>> PsAsync() => _supervisor.SnapshotAsync();

    /// <summary>
    /// Changes the count of each named type: scaling up starts only the new instances (the next ports by the
    /// Foreman rule); scaling down stops the highest-numbered ones gracefully. Validates everything first.
    /// </summary>
    public Task<IReadOnlyList<InstanceSnapshot>> ScaleAsync(IReadOnlyDictionary<string, int> counts) => Serialized(async () =>
    {
        foreach (var (type, count) in counts)
        {
            RequireType(type);
            if (count < 0)
            {
                throw new ControlException($"count for '{type}' must be 0 or more, not {count}");
            }
        }
        var problems = _plan.Factory.Ports.Check(WithCounts(counts));
        if (!problems.Ok)
        {
            throw new ControlException(string.Join("; ", problems.Errors.Select(e => e.Message)));
        }
        var current = await _supervisor.SnapshotAsync().ConfigureAwait(false);
        long added = counts.Sum(kv => Math.Max(0L, kv.Value - current.Where(s => s.Type == kv.Key).Select(s => s.Index).DefaultIfEmpty(0).Max()));
        if (added > 0 && _capacity?.Refusal((int)Math.Min(added, int.MaxValue)) is string refusal)
        {
            throw new ControlException($"scale refused, nothing started: {refusal}");
        }
        var stops = new List<Task>();
        var removals = new List<InstanceName>();
        foreach (var (type, count) in counts)
        {
            var ofType = current.Where(s => s.Type == type).ToList();
            int highest = ofType.Count == 0 ? 0 : ofType.Max(s => s.Index);
            for (int k = highest + 1; k <= count; k++)
            {
                await _supervisor.StartInstanceAsync(new InstanceName(type, k), _plan.Factory.Create(type, k)).ConfigureAwait(false);
            }
            foreach (var s in ofType.Where(s => s.Index > count).OrderByDescending(s => s.Index))
            {
                var name = new InstanceName(type, s.Index);
                stops.Add(_supervisor.StopInstanceAsync(name));
                removals.Add(name);
            }
        }
        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (var name in removals)
        {
            await _supervisor.RemoveInstanceAsync(name).ConfigureAwait(false);
        }
        // The plan remembers the scale, so a reload keeps it (a scale to 0 as well as a scale up).
        _plan = _plan with { Formation = WithCounts(counts) };
        return await _supervisor.SnapshotAsync().ConfigureAwait(false);
    });

    /// <summary>
    /// Restarts <paramref name="target"/> (all types when null, a type, or one instance) one instance at a time:
    /// the next is stopped only after its predecessor's replacement is up.
    /// </summary>
    public Task<IReadOnlyList<InstanceSnapshot>> RestartAsync(string? target) => Serialized(async () =>
    {
        var names = await ResolveAsync(target).ConfigureAwait(false);
        foreach (var name in names)
        {
            await ReplaceAsync(name, _plan.Factory).ConfigureAwait(false);
        }
        return await _supervisor.SnapshotAsync().ConfigureAwait(false);
    });

    /// <summary>Stops <paramref name="target"/> without restarting; it stays stopped until started.</summary>
    public Task<IReadOnlyList<InstanceSnapshot>> StopAsync(string? target) => Serialized(async () =>
    {
        var names = await ResolveAsync(target).ConfigureAwait(false);
        await Task.WhenAll(names.Select(_supervisor.StopInstanceAsync)).ConfigureAwait(false);
        return await _supervisor.SnapshotAsync().ConfigureAwait(false);
    });

    /// <summary>
    /// Starts the stopped or exited instances of <paramref name="target"/>; a type that has no instances (a count
    /// of 0) gets one, as if scaled to 1.
    /// </summary>
    public Task<IReadOnlyList<InstanceSnapshot>> StartAsync(string? target) => Serialized(async () =>
    {
        var names = await ResolveAsync(target).ConfigureAwait(false);
        if (names.Count == 0 && !string.IsNullOrEmpty(target) && !InstanceName.TryParse(target, out _))
        {
            var one = new Dictionary<string, int> { [target] = 1 };
            var problems = _plan.Factory.Ports.Check(WithCounts(one));
            if (!problems.Ok)
            {
                throw new ControlException(string.Join("; ", problems.Errors.Select(e => e.Message)));
            }
            await _supervisor.StartInstanceAsync(new InstanceName(target, 1), _plan.Factory.Create(target, 1)).ConfigureAwait(false);
            _plan = _plan with { Formation = WithCounts(one) };
        }
        foreach (var name in names)
        {
            await _supervisor.StartInstanceAsync(name).ConfigureAwait(false);
        }
        return await _supervisor.SnapshotAsync().ConfigureAwait(false);
    });

    /// <summary>
    /// Re-reads the Procfile, env files and settings file. Types whose command, environment, working directory,
    /// probes or ready log line changed get a rolling restart (each replacement waits for readiness); a change of
    /// only availability, shutdown or dependencies is applied to the running instances as they are
    /// (<see cref="SettingsChanges"/>). Removed types are stopped, new types start at their formation count; a
    /// type the formation already had keeps its current count (as scaled). Invalid files change nothing.
    /// </summary>
    public Task<IReadOnlyList<InstanceSnapshot>> ReloadAsync() => Serialized(async () =>
    {
        var loaded = _reload();
        if (!loaded.Ok)
        {
            throw new ControlException("reload failed, nothing changed: " + string.Join("; ", loaded.Errors));
        }
        var next = KeepCounts(loaded.Value);
        var current = await _supervisor.SnapshotAsync().ConfigureAwait(false);

        foreach (var type in current.Select(s => s.Type).Distinct().Where(t => next.Factory.Procfile.Find(t) is null).ToList())
        {
            var gone = current.Where(s => s.Type == type).Select(s => new InstanceName(type, s.Index)).ToList();
            await Task.WhenAll(gone.Select(_supervisor.StopInstanceAsync)).ConfigureAwait(false);
            foreach (var name in gone)
            {
                await _supervisor.RemoveInstanceAsync(name).ConfigureAwait(false);
            }
        }
        foreach (var entry in next.Formation.Entries)
        {
            var ofType = current.Where(s => s.Type == entry.Type.Name).ToList();
            if (ofType.Count == 0)
            {
                for (int k = 1; k <= entry.Count; k++)
                {
                    await _supervisor.StartInstanceAsync(new InstanceName(entry.Type.Name, k), next.Factory.Create(entry.Type.Name, k)).ConfigureAwait(false);
                }
                continue;
            }
            foreach (var s in ofType)
            {
                var name = new InstanceName(s.Type, s.Index);
                var before = _plan.Factory.Create(s.Type, s.Index);
                var after = next.Factory.Create(s.Type, s.Index);
                var change = SameSpec(before.Spec, after.Spec) ? SettingsChanges.Between(before.Settings, after.Settings) : SettingsChange.Recreate;
                if (change == SettingsChange.Recreate)
                {
                    await ReplaceAsync(name, next.Factory).ConfigureAwait(false);
                }
                else if (change == SettingsChange.InPlace)
                {
                    await _supervisor.ApplySettingsAsync(name, after).ConfigureAwait(false);
                }
            }
        }
        _plan = next;
        return await _supervisor.SnapshotAsync().ConfigureAwait(false);
    });

    private async Task<List<InstanceName>> ResolveAsync(string? target)
    {
        var current = await _supervisor.SnapshotAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(target))
        {
            return current.Select(s => new InstanceName(s.Type, s.Index)).ToList();
        }
        if (InstanceName.TryParse(target, out var one))
        {
            return current.Any(s => s.Name == target)
                ? [one]
                : throw new ControlException($"no instance {target}", ControlError.NotFound);
        }
        RequireType(target);
        return current.Where(s => s.Type == target).Select(s => new InstanceName(s.Type, s.Index)).ToList();
    }

    private void RequireType(string type)
    {
        if (_plan.Factory.Procfile.Find(type) is null)
        {
            throw new ControlException(
                $"unknown process type '{type}'; the Procfile defines: {string.Join(", ", _plan.Factory.Procfile.Types.Select(t => t.Name))}",
                ControlError.NotFound);
        }
    }

    /// <summary>
    /// <paramref name="next"/> with the current count of every type the current plan already has: the command
    /// line's <c>-m</c> only decides the count of a type a reload adds.
    /// </summary>
    private FormationPlan KeepCounts(FormationPlan next) =>
        next with
        {
            Formation = next.Formation with
            {
                Entries = next.Formation.Entries
                    .Select(e => _plan.Formation.Entries.FirstOrDefault(old => old.Type.Name == e.Type.Name) is { } old
                        ? e with { Count = old.Count }
                        : e)
                    .ToList(),
            },
        };

    private Formation.Formation WithCounts(IReadOnlyDictionary<string, int> counts) =>
        _plan.Formation with
        {
            Entries = _plan.Formation.Entries
                .Select(e => counts.TryGetValue(e.Type.Name, out int n) ? e with { Count = n } : e)
                .ToList(),
        };

    private static bool SameSpec(ProcessSpec a, ProcessSpec b) =>
        a.Command == b.Command && a.WorkingDirectory == b.WorkingDirectory && a.Port == b.Port
        && a.Environment.Count == b.Environment.Count
        && a.Environment.All(kv => b.Environment.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private async Task<T> Serialized<T>(Func<Task<T>> operation)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            var result = await operation().ConfigureAwait(false);
            // Whoever reads the view after the answer (the dashboard, /metrics) sees what the request did.
            await View.CaughtUpAsync().ConfigureAwait(false);
            return result;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Releases the request queue and stops following the formation.</summary>
    public void Dispose()
    {
        View.Dispose();
        _turn.Dispose();
    }
}
