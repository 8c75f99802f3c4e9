namespace Drover.Core.Logs;

/// <summary>
/// When logs rotate and how many rotated files stay. Immutable; <see cref="Due"/> is the whole decision, taken
/// by the writer before each write.
/// </summary>
/// <param name="MaxFileBytes">Rotate a log before a write would take it past this size; null: no size limit.</param>
/// <param name="Daily">Rotate a log when the local date changes.</param>
/// <param name="Keep">Rotated files kept per log; older ones are deleted.</param>
/// <param name="Gzip">Compress rotated files.</param>
/// <param name="MaxTotalBytes">The log directory's bound: the oldest rotated files (of any log) are deleted so that the
/// files never take more; null: no bound beyond <paramref name="Keep"/>.</param>
public sealed record LogRotation(long? MaxFileBytes, bool Daily, int Keep, bool Gzip, long? MaxTotalBytes)
{
    /// <summary>The smallest size limit accepted: well above the longest line a file holds (64 KiB plus its prefix).</summary>
    public const long MinFileBytes = 256 * 1024;

    /// <summary>Rotated files kept per log when not said.</summary>
    public const int DefaultKeep = 5;

    /// <summary>No rotation but on request, 5 rotated files kept, no compression, no bound.</summary>
    public static LogRotation None { get; } = new(null, false, DefaultKeep, false, null);

    /// <summary>
    /// True when a log of <paramref name="size"/> bytes, opened on local date <paramref name="openedOn"/>, must rotate
    /// before <paramref name="incoming"/> more bytes are written at <paramref name="now"/>. An empty log never rotates.
    /// </summary>
    public bool Due(long size, long incoming, DateOnly openedOn, DateOnly now) =>
        size > 0 && ((MaxFileBytes is long max && size + incoming > max) || (Daily && now != openedOn));
}
