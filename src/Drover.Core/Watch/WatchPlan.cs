using Drover.Core.Diagnostics;
using Drover.Core.Settings;

namespace Drover.Core.Watch;

/// <summary>What watch mode watches: a target per watched type, and for each the types restarted after it.</summary>
/// <param name="Targets">The watched types, in Procfile order.</param>
/// <param name="Followers">For each watched type, the types restarted after it (its dependents, with
/// <c>restart_dependents</c>, transitively, in Procfile order); empty otherwise.</param>
public sealed record WatchPlan(IReadOnlyList<WatchTarget> Targets, IReadOnlyDictionary<string, IReadOnlyList<string>> Followers)
{
    /// <summary>Nothing watched.</summary>
    public bool IsEmpty => Targets.Count == 0;

    /// <summary>
    /// Joins the settings file's <c>watch</c> keys and the <c>--watch</c> flags (a type in both gets the paths of
    /// both; <c>ignore</c> and <c>restart_dependents</c> come from the file).
    /// </summary>
    /// <param name="settings">The per-type settings.</param>
    /// <param name="flags">The <c>--watch</c> specs, by type.</param>
    /// <param name="types">The Procfile's types, in order.</param>
    /// <param name="root">The app root, to which paths are relative.</param>
    /// <param name="logDirectory">The <c>--log-dir</c> directory, never watched; null without one. The types' own
    /// log files (<c>log_location</c>) are never watched either.</param>
    public static Result<WatchPlan> Build(
        SettingsDocument settings, IReadOnlyDictionary<string, WatchSpec> flags, IReadOnlyList<string> types, string root, string? logDirectory)
    {
        var unknown = flags.Keys.Where(t => !types.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            return Result<WatchPlan>.Failure([.. unknown.Select(t => new Diagnostic(
                "--watch", 0, 0, $"unknown process type '{t}'; the Procfile defines: {string.Join(", ", types)}"))]);
        }
        string[] ignoredTrees = logDirectory is null ? [] : [logDirectory];
        var targets = new List<WatchTarget>();
        var followers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (string type in types)
        {
            var fromFile = settings.For(type).Watch;
            flags.TryGetValue(type, out var fromFlag);
            if (fromFile is null && fromFlag is null)
            {
                continue;
            }
            var spec = fromFile is null ? fromFlag!
                : fromFlag is null ? fromFile
                : fromFile with { Paths = [.. fromFile.Paths, .. fromFlag.Paths] };
            if (spec.Paths.Count == 0)
            {
                continue;
            }
            targets.Add(WatchTarget.Create(type, spec, root, ignoredTrees, App.TypeLogFiles.Of(settings).Values));
            followers[type] = spec.RestartDependents ? DependentsOf(type, settings, types) : [];
        }
        return Result<WatchPlan>.Success(new WatchPlan(targets, followers));
    }

    /// <summary>The types that depend on <paramref name="type"/> (<c>depends_on</c>), directly or through others.</summary>
    public static IReadOnlyList<string> DependentsOf(string type, SettingsDocument settings, IReadOnlyList<string> types)
    {
        var found = new HashSet<string>(StringComparer.Ordinal) { type };
        var queue = new Queue<string>([type]);
        while (queue.Count > 0)
        {
            string upstream = queue.Dequeue();
            foreach (string t in types)
            {
                if (!found.Contains(t) && settings.For(t).DependsOn.Any(d => d.Type == upstream))
                {
                    found.Add(t);
                    queue.Enqueue(t);
                }
            }
        }
        return [.. types.Where(t => t != type && found.Contains(t))];
    }

    /// <summary>The directories to watch: each target's bases, without those inside another.</summary>
    public IReadOnlyList<string> Roots()
    {
        var all = Targets.SelectMany(t => t.Bases).Distinct().OrderBy(b => b.Length).ToList();
        var roots = new List<string>();
        foreach (string b in all)
        {
            if (!roots.Any(r => WatchTarget.IsUnder(b, r)))
            {
                roots.Add(b);
            }
        }
        return roots;
    }

    /// <summary>Whether some target watches the directory at <paramref name="path"/>.</summary>
    public bool Descends(string path) => Targets.Any(t => t.Descends(path));
}
