using Drover.Core.Diagnostics;
using Drover.Core.Settings;

namespace Drover.Core.Watch;

/// <summary>
/// The <c>--watch</c> values: <c>TYPE=PATH[,PATH...]</c>, repeatable; a type named twice gets every path. Paths are
/// paths or globs relative to the app root (<c>web=src/**/*.rb,config</c>).
/// </summary>
public static class WatchFlag
{
    /// <summary>The spec of each type the values name, in the order first named.</summary>
    public static Result<IReadOnlyDictionary<string, WatchSpec>> Parse(IEnumerable<string> values)
    {
        var paths = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (string value in values)
        {
            int eq = value.IndexOf('=', StringComparison.Ordinal);
            string type = eq < 0 ? "" : value[..eq].Trim();
            string[] given = eq < 0 ? [] : value[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (type.Length == 0 || given.Length == 0)
            {
                return Result<IReadOnlyDictionary<string, WatchSpec>>.Failure(
                    [new Diagnostic("--watch", 0, 0, $"'{value}' is not TYPE=PATH[,PATH...] (e.g. web=src/**/*.rb,config)")]);
            }
            if (!paths.TryGetValue(type, out var list))
            {
                paths[type] = list = [];
                order.Add(type);
            }
            list.AddRange(given);
        }
        var specs = order.ToDictionary(t => t, t => new WatchSpec(paths[t], [], false), StringComparer.Ordinal);
        return Result<IReadOnlyDictionary<string, WatchSpec>>.Success(specs);
    }
}
