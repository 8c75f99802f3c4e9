using System.Collections.Concurrent;

namespace Drover.Core.Watch;

/// <summary>
/// What is not watched under an app root: first the rules that nothing re-includes (<c>.git</c>,
/// <c>node_modules</c>, the log directory, the type's own <c>ignore</c> globs), then git's own: every
/// <c>.gitignore</c> from the root down to the path's directory, a deeper one overriding a higher one, and
/// <c>.git/info/exclude</c> below them all; a path inside an ignored directory is ignored (git cannot re-include it
/// either).
/// </summary>
/// <remarks>
/// A small matcher of our own rather than MAB.DotIgnore: that library answers only "ignored or not" for one list,
/// while nested files need "ignored, re-included, or not mentioned" per level for a deeper <c>!pattern</c> to
/// override a parent's; and it is a netstandard library with no trimming annotations. .gitignore files are read once
/// and cached; <see cref="Forget"/> drops one when it changes.
/// </remarks>
public sealed class IgnoreRules
{
    /// <summary>Directory names ignored at any depth whatever the ignore files say.</summary>
    public static readonly IReadOnlyList<string> DefaultDirectories = [".git", "node_modules"];

    private readonly string _root;
    private readonly IgnoreFile _always;
    private readonly IReadOnlyList<string> _ignoredTrees;
    private readonly IReadOnlyList<string> _ignoredFiles;
    private readonly IgnoreFile _exclude;
    private readonly ConcurrentDictionary<string, IgnoreFile> _files = new(StringComparer.Ordinal);

    /// <summary>The rules under <paramref name="root"/>.</summary>
    /// <param name="root">The app root: where the top .gitignore and the relative globs are.</param>
    /// <param name="ignore">gitignore-style patterns, relative to the root, that nothing re-includes (the <c>ignore</c> key).</param>
    /// <param name="ignoredTrees">Absolute directories never watched (the log directory).</param>
    /// <param name="ignoredFiles">Files never watched, with their rotated siblings (<c>FILE.*</c>): the types'
    /// own log files, which would otherwise restart their writer on every line.</param>
    public IgnoreRules(string root, IEnumerable<string> ignore, IEnumerable<string> ignoredTrees, IEnumerable<string>? ignoredFiles = null)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _always = new IgnoreFile([.. DefaultDirectories.Select(d => d + "/"), .. ignore]);
        _ignoredTrees = [.. ignoredTrees.Select(t => Path.TrimEndingDirectorySeparator(Path.GetFullPath(t)))];
        _ignoredFiles = [.. (ignoredFiles ?? []).Select(Path.GetFullPath)];
        _exclude = IgnoreFile.Read(Path.Combine(_root, ".git", "info", "exclude"));
    }

    /// <summary>The app root.</summary>
    public string Root => _root;

    /// <summary>Whether <paramref name="path"/> (absolute) is not to be watched: itself or a directory above it is ignored.</summary>
    public bool IsIgnored(string path, bool isDirectory)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (_ignoredTrees.Any(t => IsUnder(full, t))
            || _ignoredFiles.Any(f => full == f || full.StartsWith(f + ".", StringComparison.Ordinal)))
        {
            return true;
        }
        if (!IsUnder(full, _root) || full.Length == _root.Length)
        {
            return false;
        }
        string relative = full[(_root.Length + 1)..];
        string[] segments = relative.Split('/');
        for (int depth = 1; depth <= segments.Length; depth++)
        {
            bool last = depth == segments.Length;
            if (IgnoredItself(segments, depth, last ? isDirectory : true))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Drops the cached rules of the <c>.gitignore</c> at <paramref name="path"/> (it changed).</summary>
    public void Forget(string path) => _files.TryRemove(Path.GetDirectoryName(Path.GetFullPath(path)) ?? _root, out _);

    /// <summary>The first <paramref name="depth"/> segments name a path; is it ignored by the rules, ancestors aside?</summary>
    private bool IgnoredItself(string[] segments, int depth, bool isDirectory)
    {
        string relative = string.Join('/', segments, 0, depth);
        if (_always.Decide(relative, isDirectory) == true)
        {
            return true;
        }
        // The deepest .gitignore with a matching pattern decides; info/exclude only when none does.
        for (int level = depth - 1; level >= 0; level--)
        {
            string dir = level == 0 ? _root : _root + "/" + string.Join('/', segments, 0, level);
            string below = string.Join('/', segments, level, depth - level);
            if (RulesOf(dir).Decide(below, isDirectory) is bool decided)
            {
                return decided;
            }
        }
        return _exclude.Decide(relative, isDirectory) == true;
    }

    private IgnoreFile RulesOf(string directory) =>
        _files.GetOrAdd(directory, d => IgnoreFile.Read(Path.Combine(d, ".gitignore")));

    private static bool IsUnder(string path, string directory) =>
        path.Length >= directory.Length
        && path.StartsWith(directory, StringComparison.Ordinal)
        && (path.Length == directory.Length || path[directory.Length] == '/' || directory == "/");
}
