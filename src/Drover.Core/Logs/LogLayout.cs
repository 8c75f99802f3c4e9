namespace Drover.Core.Logs;

/// <summary>One log to read: a log of <paramref name="Directory"/>, and, when the log holds several instances (a
/// type's <c>log_location</c> file), the one instance wanted (null: all its lines).</summary>
public sealed record LogRef(string Directory, string Log, string? Instance = null);

/// <summary>
/// Where a formation's log files are: the log directory (<c>--log-dir</c>: a file per instance plus the combined
/// <c>drover.log</c>), and the files of types with their own <c>log_location</c> in the settings file (every line
/// of the type's instances in one file, rotated next to it). Writers and readers share it, so a search finds what
/// was written.
/// </summary>
public sealed class LogLayout
{
    /// <summary>A layout of <paramref name="directory"/> (may be null) and <paramref name="typeFiles"/> (type to file path).</summary>
    public LogLayout(string? directory, IReadOnlyDictionary<string, string>? typeFiles = null)
    {
        Directory = directory is null ? null : Path.GetFullPath(directory);
        TypeFiles = typeFiles?.ToDictionary(p => p.Key, p => Path.GetFullPath(p.Value), StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The log directory (absolute), or null.</summary>
    public string? Directory { get; }

    /// <summary>Each type with a file of its own, to that file's absolute path (an active file: <c>NAME.log</c>).</summary>
    public IReadOnlyDictionary<string, string> TypeFiles { get; }

    /// <summary>True when there is nothing to write or read.</summary>
    public bool IsEmpty => Directory is null && TypeFiles.Count == 0;

    /// <summary>The layout of a log directory alone.</summary>
    public static LogLayout Of(string directory) => new(directory);

    /// <summary>The folder and log name of a type's file (<c>/srv/log/web.log</c>: <c>/srv/log</c>, <c>web</c>).</summary>
    public static (string Directory, string Log) Split(string file) =>
        (Path.GetDirectoryName(file)!, Path.GetFileName(file)[..^LogFileName.Extension.Length]);

    /// <summary>
    /// The logs <paramref name="target"/> names. Null: the combined log of the directory, or without one every type
    /// file. A type or instance: its files in the directory (<see cref="LogDirectory.Select"/>), or when there are
    /// none the type's own file (for an instance, only that instance's lines of it).
    /// </summary>
    public IReadOnlyList<LogRef> Select(string? target)
    {
        var inDirectory = Directory is not null && System.IO.Directory.Exists(Directory)
            ? LogDirectory.Select(Directory, target).Select(l => new LogRef(Directory, l)).ToList()
            : [];
        if (inDirectory.Count > 0)
        {
            return inDirectory;
        }
        if (target is null)
        {
            return [.. TypeFiles.Keys.Order(StringComparer.Ordinal).Select(t => TypeRef(t, null)).OfType<LogRef>()];
        }
        int dot = target.LastIndexOf('.');
        string? type = TypeFiles.ContainsKey(target) ? target
            : dot > 0 && TypeFiles.ContainsKey(target[..dot]) && int.TryParse(target.AsSpan(dot + 1), out _) ? target[..dot]
            : null;
        return type is not null && TypeRef(type, type == target ? null : target) is { } r ? [r] : [];
    }

    private LogRef? TypeRef(string type, string? instance)
    {
        var (dir, log) = Split(TypeFiles[type]);
        bool any = System.IO.Directory.Exists(dir) && LogDirectory.FilesOf(dir, log).Count > 0;
        return any ? new LogRef(dir, log, instance) : null;
    }
}
