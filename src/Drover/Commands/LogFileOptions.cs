using System.CommandLine;
using Drover.Core.App;
using Drover.Core.Logs;

namespace Drover.Cli.Commands;

/// <summary><c>drover start</c>'s log-file flags: where (--log-dir, or <c>log_dir</c> in .foreman) and how they rotate.</summary>
internal sealed class LogFileOptions
{
    public Option<string?> Dir { get; } = new("--log-dir")
    {
        Description = "also write output to files in DIR: one per instance plus drover.log with everything and the lifecycle lines (default: log_dir in .foreman; none)",
        HelpName = "dir",
    };

    public Option<string?> MaxSize { get; } = new("--log-max-size")
    {
        Description = "rotate a log file before it grows past SIZE (e.g. 10M; at least 256K)",
        HelpName = "size",
    };

    public Option<bool> Daily { get; } = new("--log-daily") { Description = "rotate the log files when the local date changes" };

    public Option<int> Keep { get; } = new("--log-keep")
    {
        Description = "rotated files kept per log; older ones are deleted",
        DefaultValueFactory = _ => LogRotation.DefaultKeep,
    };

    public Option<bool> Gzip { get; } = new("--log-gzip") { Description = "compress rotated log files" };

    public Option<string?> MaxTotal { get; } = new("--log-max-total")
    {
        Description = "never let the log directory's files take more than SIZE (e.g. 1G; at least 1M): the oldest rotated files go first",
        HelpName = "size",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Dir, MaxSize, Daily, Keep, Gzip, MaxTotal })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The directory (null when none is set), the rotation, and whether a rotation flag was given (which needs
    /// somewhere to write: see <see cref="LogLocationCheck"/>); null when <paramref name="error"/> says what is wrong.
    /// </summary>
    public (string? Dir, LogRotation Rotation, bool Tuned)? Resolve(ParseResult parse, ForemanDefaults defaults, out string? error)
    {
        error = null;
        string? dir = parse.GetValue(Dir) ?? defaults.LogDir;
        bool tuned = parse.GetValue(MaxSize) is not null || parse.GetValue(Daily) || parse.GetValue(Gzip)
            || parse.GetValue(MaxTotal) is not null || parse.GetResult(Keep) is { Implicit: false };
        long? maxSize = Size(parse.GetValue(MaxSize), "--log-max-size", LogRotation.MinFileBytes, ref error);
        long? maxTotal = Size(parse.GetValue(MaxTotal), "--log-max-total", 4 * LogRotation.MinFileBytes, ref error);
        int keep = parse.GetValue(Keep);
        if (keep < 0)
        {
            error ??= "--log-keep must be 0 or more";
        }
        return error is null ? (dir is null ? null : Path.GetFullPath(dir), new LogRotation(maxSize, parse.GetValue(Daily), keep, parse.GetValue(Gzip), maxTotal), tuned) : null;
    }

    private static long? Size(string? text, string flag, long min, ref string? error)
    {
        if (text is null)
        {
            return null;
        }
        long? size = ByteSize.Parse(text);
        if (size is null || size < min)
        {
            error ??= $"{flag}: '{text}' is not a size of at least {min / 1024}K (e.g. 512K, 10M, 1G)";
        }
        return size;
    }
}
