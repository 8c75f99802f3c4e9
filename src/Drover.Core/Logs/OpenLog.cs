namespace Drover.Core.Logs;

/// <summary>
/// One log file being appended to, with its own buffer. A failed write (a full disk) cuts the file back to its last
/// whole write, so a file never holds half a line, and the lines that were in the buffer are counted as lost.
/// </summary>
internal sealed class OpenLog : IDisposable
{
    private const int BufferSize = 256 * 1024;

    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _buffered;
    private int _bufferedLines;
    private readonly bool _combined;

    private OpenLog(LogFileName name, FileStream stream, DateOnly openedOn, bool combined)
    {
        _combined = combined;
        Name = name;
        _stream = stream;
        Durable = stream.Length;
        OpenedOn = openedOn;
    }

    public LogFileName Name { get; }

    /// <summary>Bytes on disk.</summary>
    public long Durable { get; private set; }

    /// <summary>Bytes on disk plus the bytes waiting in the buffer.</summary>
    public long Length => Durable + _buffered;

    /// <summary>The local date of the file's first line (or, for a file found on disk, of its last write).</summary>
    public DateOnly OpenedOn { get; }

    public static OpenLog Open(string directory, LogFileName name, DateOnly today, bool combined)
    {
        string path = Path.Combine(directory, name.FileName);
        bool existed = File.Exists(path);
        // Unbuffered: this class buffers, so it knows exactly what reached the file.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        stream.Seek(0, SeekOrigin.End);
        var openedOn = existed && stream.Length > 0 ? DateOnly.FromDateTime(File.GetLastWriteTime(path)) : today;
        return new OpenLog(name, stream, openedOn, combined);
    }

    /// <summary>Adds bytes holding <paramref name="lines"/> whole lines; writes the buffer when it is full.</summary>
    public void Append(ReadOnlySpan<byte> bytes, int lines)
    {
        bool big = bytes.Length >= _buffer.Length / 4;
        if (big || _buffered + bytes.Length > _buffer.Length)
        {
            Flush();
        }
        if (big)
        {
            // Big enough to write as it is (after what was buffered), without copying it into the buffer first.
            Write(bytes, lines);
            return;
        }
        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
        _bufferedLines += lines;
    }

    /// <summary>Writes what is buffered. On failure the buffer is dropped and the count of its lines returned in the exception.</summary>
    public void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }
        int lines = _bufferedLines;
        int length = _buffered;
        _buffered = 0;
        _bufferedLines = 0;
        Write(_buffer.AsSpan(0, length), lines);
    }

    private void Write(ReadOnlySpan<byte> bytes, int lines)
    {
        try
        {
            _stream.Write(bytes);
            Durable += bytes.Length;
        }
        catch (IOException e)
        {
            try
            {
                // A partial write leaves part of a line: cut it off.
                _stream.SetLength(Durable);
                _stream.Position = Durable;
            }
            catch (IOException)
            {
                // Nothing more to do; the next write tries again.
            }
            throw new LogWriteException(e.Message, lines, _combined, e);
        }
    }

    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            _stream.Dispose();
        }
    }
}

/// <summary>A log write failed; <see cref="Lines"/> lines did not reach the file.</summary>
internal sealed class LogWriteException(string message, int lines, bool combined, Exception inner) : IOException(message, inner)
{
    public int Lines { get; } = lines;

    /// <summary>True when the combined file failed: it holds every line, so lost lines are counted from it alone.</summary>
    public bool Combined { get; } = combined;
}
