using Drover.Core.Diagnostics;

namespace Drover.Core.Settings;

/// <summary>The <c>depends_on</c> edges between an app's types: checked (unknown types, cycles) and put in order.</summary>
public static class DependencyGraph
{
    /// <summary>
    /// A diagnostic for each dependency on a type not in <paramref name="types"/> and for each cycle, naming it
    /// (<c>a -> b -> a</c>) at the line of its first edge.
    /// </summary>
    public static List<Diagnostic> Check(SettingsDocument settings, IReadOnlyList<string> types)
    {
        var errors = new List<Diagnostic>();
        var known = new HashSet<string>(types, StringComparer.Ordinal);
        foreach (var type in settings.Types)
        {
            foreach (var dependency in type.DependsOn)
            {
                if (!known.Contains(dependency.Type))
                {
                    errors.Add(At(dependency.Source, settings,
                        $"{type.Type}.depends_on: unknown process type '{dependency.Type}'; the app defines: {string.Join(", ", types)}"));
                }
            }
        }

        // Depth-first search; a type met again while still on the path closes a cycle.
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string type)
        {
            state[type] = 1;
            path.Add(type);
            foreach (var dependency in settings.For(type).DependsOn.Where(d => known.Contains(d.Type)))
            {
                if (state.GetValueOrDefault(dependency.Type) == 1)
                {
                    var cycle = path.Skip(path.IndexOf(dependency.Type)).Append(dependency.Type).ToList();
                    string key = string.Join(" ", cycle.Take(cycle.Count - 1).Order(StringComparer.Ordinal));
                    if (reported.Add(key))
                    {
                        var first = settings.For(cycle[0]).DependsOn.First(d => d.Type == cycle[1]);
                        errors.Add(At(first.Source, settings, $"{cycle[0]}.depends_on: dependency cycle {string.Join(" -> ", cycle)}"));
                    }
                }
                else if (!state.ContainsKey(dependency.Type))
                {
                    Visit(dependency.Type);
                }
            }
            path.RemoveAt(path.Count - 1);
            state[type] = 2;
        }
        foreach (string type in types)
        {
            if (!state.ContainsKey(type))
            {
                Visit(type);
            }
        }
        return errors;
    }

    /// <summary>
    /// The start order as levels: level 0 depends on nothing, level n only on lower levels; names sorted within a
    /// level. Shutdown goes the other way. <see cref="Check"/> must have passed (no cycle).
    /// </summary>
    public static List<List<string>> Levels(SettingsDocument settings, IReadOnlyList<string> types)
    {
        var known = new HashSet<string>(types, StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        int LevelOf(string type, int depth)
        {
            if (level.TryGetValue(type, out int known1))
            {
                return known1;
            }
            if (depth > types.Count)
            {
                throw new InvalidOperationException("dependency cycle: DependencyGraph.Check must pass first");
            }
            int l = settings.For(type).DependsOn.Where(d => known.Contains(d.Type))
                .Select(d => LevelOf(d.Type, depth + 1) + 1).DefaultIfEmpty(0).Max();
            level[type] = l;
            return l;
        }
        foreach (string type in types)
        {
            LevelOf(type, 0);
        }
        return [.. level.GroupBy(kv => kv.Value).OrderBy(g => g.Key).Select(g => g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList())];
    }

    private static Diagnostic At(SettingsSource? source, SettingsDocument settings, string message) =>
        new(source?.File ?? settings.Path ?? "settings", source?.Line ?? 0, 0, message);
}
