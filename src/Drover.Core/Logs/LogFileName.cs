using System.Globalization;

namespace Drover.Core.Logs;

/// <summary>
/// The names of the files in a log directory. A log (one per instance, plus <see cref="Combined"/>) is written to
/// <c>NAME.log</c>; a rotated one becomes <c>NAME.log.SEQ</c> (<c>.gz</c> when compressed), SEQ being one counter
/// for the whole directory, so the lowest SEQ is the oldest file of all. Instance names never hold a space or a
/// slash, and the active name always ends in <c>.log</c>, so the two forms cannot be confused.
/// </summary>
public readonly record struct LogFileName(string Log, long? Sequence, bool Gzip)
{
    /// <summary>The log every line goes to, lifecycle lines included.</summary>
    public const string Combined = "drover";

    /// <summary>The end of an active file's name.</summary>
    public const string Extension = ".log";
    private const string GzExtension = ".gz";

    /// <summary>True for the file being written (not rotated).</summary>
    public bool IsActive => Sequence is null;

    /// <summary>The file name.</summary>
    public string FileName => Sequence is long seq
        ? $"{Log}{Extension}.{seq.ToString("D6", CultureInfo.InvariantCulture)}{(Gzip ? GzExtension : "")}"
        : Log + Extension;

    /// <summary>The file being written for <paramref name="log"/>.</summary>
    public static LogFileName Active(string log) => new(log, null, false);

    /// <summary>Reads a file name of a log directory; false for a file that is not one of ours.</summary>
    public static bool TryParse(string fileName, out LogFileName name)
    {
        name = default;
        bool gz = fileName.EndsWith(GzExtension, StringComparison.Ordinal);
        string rest = gz ? fileName[..^GzExtension.Length] : fileName;
        if (!gz && rest.EndsWith(Extension, StringComparison.Ordinal) && rest.Length > Extension.Length)
        {
            name = Active(rest[..^Extension.Length]);
            return true;
        }
        int dot = rest.LastIndexOf('.');
        if (dot <= Extension.Length || !rest.AsSpan(0, dot).EndsWith(Extension, StringComparison.Ordinal)
            || !long.TryParse(rest.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
        {
            return false;
        }
        name = new LogFileName(rest[..(dot - Extension.Length)], seq, gz);
        return true;
    }
}
