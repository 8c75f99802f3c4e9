using System.IO.Compression;

namespace Drover.Core.Logs;

/// <summary>
/// Tells log files apart by their first line (time with microseconds, name and text): a file keeps it when it is
/// rotated and compressed, and no two files of one log start with the same line (a rotation inside one chunk of
/// output starts the new file at the same time, but with the next line). Readers use it to find, after a rotation,
/// the rotated file they were reading.
/// </summary>
public static class LogFileIdentity
{
    private const int Limit = 4096;

    /// <summary>The first line of an open plain file; null until it has one.</summary>
    public static byte[]? Of(FileStream stream)
    {
        var head = new byte[Limit];
        return Cut(head, RandomAccess.Read(stream.SafeFileHandle, head, 0));
    }

    /// <summary>The first line of the file at <paramref name="path"/>, plain or gzipped (a plain one compressed
    /// meanwhile is read as .gz); null when it has none or is gone.</summary>
    public static byte[]? Of(string path)
    {
        try
        {
            using var file = OpenShared(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var head = new byte[Limit];
            return Cut(head, stream.ReadAtLeast(head, Limit, throwOnEndOfStream: false));
        }
        catch (FileNotFoundException) when (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return Of(path + ".gz");
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True when both are known and equal.</summary>
    public static bool Same(byte[]? a, byte[]? b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>True when <paramref name="line"/>, a file's first line, is that of the file <paramref name="identity"/>
    /// was taken from (of a first line longer than the limit, only its start was taken).</summary>
    public static bool IsFirstLine(ReadOnlySpan<byte> line, byte[] identity) =>
        identity.Length == Limit ? line.StartsWith(identity) : line.SequenceEqual(identity);

    /// <summary>Opens for reading while the writer writes, renames and deletes it.</summary>
    public static FileStream OpenShared(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.SequentialScan);

    /// <summary>Reads every line of a rotated file (plain, or gzipped since it was listed).</summary>
    public static void ReadRotated(string path, LineHandler handle)
    {
        try
        {
            LogLineReader.ReadLines(path, handle);
        }
        catch (FileNotFoundException) when (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            LogLineReader.ReadLines(path + ".gz", handle);
        }
    }

    private static byte[]? Cut(byte[] head, int n)
    {
        int end = head.AsSpan(0, n).IndexOf((byte)'\n');
        return end >= 0 ? head[..end] : n == Limit ? head : null;
    }
}
