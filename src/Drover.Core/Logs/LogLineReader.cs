using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Drover.Core.Logs;

/// <summary>Called with one line of a file, without its newline; the span is valid only during the call.</summary>
public delegate void LineHandler(ReadOnlySpan<byte> line);

/// <summary>Reads a log file (plain or gzipped) line by line through one large buffer, allocating nothing per line.</summary>
public static class LogLineReader
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>Every whole line of the file at <paramref name="path"/>; a last line without a newline is left out (it is still being written). Returns the bytes read up to the end of the last whole line.</summary>
    public static long ReadLines(string path, LineHandler handle)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.SequentialScan);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return ReadLines(stream, handle);
    }

    /// <summary>Every whole line of <paramref name="stream"/> from where it stands; returns the bytes consumed (through the last newline).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long ReadLines(Stream stream, LineHandler handle)
    {
        byte[] buffer = new byte[BufferSize];
        int filled = 0;
        long consumed = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // A line longer than the buffer (not written by Drover): grow rather than cut it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
            {
                return consumed;
            }
            filled += n;
            int start = 0;
            while (true)
            {
                int end = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (end < 0)
                {
                    break;
                }
                handle(buffer.AsSpan(start, end));
                start += end + 1;
            }
            consumed += start;
            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
        }
    }
}
