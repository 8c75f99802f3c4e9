namespace Drover.Core.Logs;

/// <summary>What a log directory holds, for readers: the logs and each one's files, oldest first.</summary>
public static class LogDirectory
{
    /// <summary>The names of the logs in <paramref name="directory"/> (instances, and <see cref="LogFileName.Combined"/>).</summary>
    public static IReadOnlyList<string> Logs(string directory) =>
        Files(directory).Select(f => f.Name.Log).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The files of <paramref name="log"/>: rotated ones by sequence, then the active one.</summary>
    public static IReadOnlyList<(LogFileName Name, string Path)> FilesOf(string directory, string log) =>
        Files(directory).Where(f => f.Name.Log == log)
            .OrderBy(f => f.Name.Sequence ?? long.MaxValue)
            .ThenBy(f => f.Name.Gzip) // plain before gz of one sequence: a compression in progress is read once, below
            .DistinctBy(f => f.Name.Sequence)
            .ToList();

    /// <summary>
    /// The logs <paramref name="target"/> names: null, everything (the combined log); a type (<c>web</c>), its
    /// instances; an instance (<c>web.2</c>), its own log.
    /// </summary>
    public static IReadOnlyList<string> Select(string directory, string? target)
    {
        var logs = Logs(directory);
        if (target is null)
        {
            return logs.Contains(LogFileName.Combined) ? [LogFileName.Combined] : [];
        }
        return logs.Where(l => l != LogFileName.Combined && (l == target || l.StartsWith(target + ".", StringComparison.Ordinal))).ToList();
    }

    private static IEnumerable<(LogFileName Name, string Path)> Files(string directory)
    {
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            if (LogFileName.TryParse(Path.GetFileName(path), out var name))
            {
                yield return (name, path);
            }
        }
    }
}
