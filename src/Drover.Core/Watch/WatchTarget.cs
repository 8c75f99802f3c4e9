using Drover.Core.Settings;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Drover.Core.Watch;

/// <summary>
/// The files whose change restarts one process type: its paths and globs (Microsoft.Extensions.FileSystemGlobbing,
/// relative to the app root; a directory means everything in it) minus what <see cref="IgnoreRules"/> ignores.
/// </summary>
public sealed class WatchTarget
{
    private readonly Matcher _matcher = new(StringComparison.Ordinal);

    private WatchTarget(string type, WatchSpec spec, IReadOnlyList<string> bases, IgnoreRules rules)
    {
        Type = type;
        Spec = spec;
        Bases = bases;
        Rules = rules;
    }

    /// <summary>The process type restarted.</summary>
    public string Type { get; }

    /// <summary>What was asked for.</summary>
    public WatchSpec Spec { get; }

    /// <summary>The directories watched, with everything below them that is not ignored (absolute).</summary>
    public IReadOnlyList<string> Bases { get; }

    /// <summary>What is not watched.</summary>
    public IgnoreRules Rules { get; }

    /// <summary>
    /// The target of <paramref name="spec"/> under <paramref name="root"/>; <paramref name="ignoredTrees"/> (the log
    /// directory) and <paramref name="ignoredFiles"/> (the types' log files, rotated ones included) are never watched.
    /// </summary>
    public static WatchTarget Create(string type, WatchSpec spec, string root, IEnumerable<string> ignoredTrees, IEnumerable<string>? ignoredFiles = null)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var bases = new List<string>();
        var includes = new List<string>();
        foreach (string raw in spec.Paths)
        {
            string pattern = raw.StartsWith("./", StringComparison.Ordinal) ? raw[2..] : raw;
            pattern = pattern.TrimEnd('/');
            if (pattern.Length == 0 || pattern == ".")
            {
                pattern = "**";
            }
            int wild = pattern.IndexOfAny(['*', '?', '[', '{']);
            string literal = wild < 0 ? pattern : pattern[..(pattern.LastIndexOf('/', wild) + 1)];
            string full = Path.GetFullPath(Path.Combine(root, literal.Length == 0 ? "." : literal));
            if (wild < 0 && Directory.Exists(full))
            {
                includes.Add(pattern == "**" ? pattern : pattern + "/**");
            }
            else
            {
                includes.Add(pattern);
                if (wild < 0)
                {
                    full = Path.GetDirectoryName(full) ?? root;
                }
            }
            bases.Add(NearestExisting(Path.TrimEndingDirectorySeparator(full)));
        }
        var target = new WatchTarget(type, spec, bases.Distinct().ToList(), new IgnoreRules(root, spec.Ignore, ignoredTrees, ignoredFiles));
        foreach (string include in includes)
        {
            target._matcher.AddInclude(include);
        }
        return target;
    }

    /// <summary>Whether a change of the file at <paramref name="path"/> (absolute) restarts this type.</summary>
    public bool Wants(string path) =>
        Bases.Any(b => IsUnder(path, b))
        && !Rules.IsIgnored(path, isDirectory: false)
        && _matcher.Match(Rules.Root, path).HasMatches;

    /// <summary>Whether the directory at <paramref name="path"/> is to be watched for this type.</summary>
    public bool Descends(string path) =>
        Bases.Any(b => IsUnder(path, b)) && !Rules.IsIgnored(path, isDirectory: true);

    /// <summary><paramref name="path"/> relative to the app root, for messages.</summary>
    public string Relative(string path) => Path.GetRelativePath(Rules.Root, path);

    private static string NearestExisting(string directory)
    {
        // A path that does not exist yet is seen when it appears: the nearest directory that exists is watched.
        string? d = directory;
        while (d is not null && !Directory.Exists(d))
        {
            d = Path.GetDirectoryName(d);
        }
        return d ?? "/";
    }

    internal static bool IsUnder(string path, string directory) =>
        path.StartsWith(directory, StringComparison.Ordinal)
        && (path.Length == directory.Length || path[directory.Length] == '/' || directory == "/");
}
