namespace Drover.Core.Output;

/// <summary>
/// The last lines of one source in a circular byte buffer: at most <c>maxLines</c> lines and <c>maxBytes</c> bytes.
/// Adding a line copies it and allocates nothing once the buffer has grown to fit the traffic, so keeping logs
/// costs no garbage at millions of lines per second. Not thread-safe: the <see cref="LogBook"/> locks.
/// </summary>
internal sealed class LineRing(int maxLines, int maxBytes)
{
    private const int InitialBytes = 4 * 1024;

    private byte[] _bytes = [];
    private Entry[] _entries = [];
    private int _head;      // index of the oldest entry
    private int _count;
    private long _written;  // total bytes ever written: entry starts are positions in this stream
    private long _oldest;   // stream position of the oldest kept byte

    public void Add(ReadOnlySpan<byte> line, long timeTicks)
    {
        if (maxLines == 0 || maxBytes == 0)
        {
            return;
        }
        if (line.Length > maxBytes)
        {
            line = line[^maxBytes..];
        }
        Reserve(line.Length);
        while (_count == maxLines || _written - _oldest + line.Length > _bytes.Length)
        {
            Evict();
        }
        int at = (int)(_written % _bytes.Length);
        int first = Math.Min(line.Length, _bytes.Length - at);
        line[..first].CopyTo(_bytes.AsSpan(at));
        line[first..].CopyTo(_bytes);
        _entries[(_head + _count) % _entries.Length] = new Entry(_written, line.Length, timeTicks);
        _count++;
        _written += line.Length;
    }

    /// <summary>The last <paramref name="n"/> lines (oldest first), copied out.</summary>
    public List<(long TimeTicks, byte[] Line)> Last(int n)
    {
        var result = new List<(long, byte[])>();
        for (int i = Math.Max(0, _count - n); i < _count; i++)
        {
            var e = _entries[(_head + i) % _entries.Length];
            result.Add((e.TimeTicks, Copy(e)));
        }
        return result;
    }

    private byte[] Copy(Entry e)
    {
        var line = new byte[e.Length];
        int at = (int)(e.Start % _bytes.Length);
        int first = Math.Min(e.Length, _bytes.Length - at);
        _bytes.AsSpan(at, first).CopyTo(line);
        _bytes.AsSpan(0, e.Length - first).CopyTo(line.AsSpan(first));
        return line;
    }

    private void Evict()
    {
        _head = (_head + 1) % _entries.Length;
        _count--;
        _oldest = _count == 0 ? _written : _entries[_head].Start;
    }

    /// <summary>Grows the buffers (doubling, up to the limits) while the traffic needs more room.</summary>
    private void Reserve(int incoming)
    {
        if (_entries.Length == 0)
        {
            _entries = new Entry[Math.Min(maxLines, 64)];
        }
        else if (_count == _entries.Length && _entries.Length < maxLines)
        {
            var grown = new Entry[Math.Min(maxLines, _entries.Length * 2)];
            for (int i = 0; i < _count; i++)
            {
                grown[i] = _entries[(_head + i) % _entries.Length];
            }
            _entries = grown;
            _head = 0;
        }
        long needed = _written - _oldest + incoming;
        // An empty first line needs no bytes, but the buffer must exist: positions are taken modulo its length.
        if (_bytes.Length > 0 && (needed <= _bytes.Length || _bytes.Length == maxBytes))
        {
            return;
        }
        int size = Math.Min(Math.Max(_bytes.Length, InitialBytes), maxBytes);
        while (size < needed && size < maxBytes)
        {
            size = (int)Math.Min((long)size * 2, maxBytes);
        }
        var bytes = new byte[size];
        // Re-lay the kept lines at the same stream positions modulo the new size.
        for (int i = 0; i < _count; i++)
        {
            var e = _entries[(_head + i) % _entries.Length];
            byte[] line = Copy(e);
            int at = (int)(e.Start % size);
            int first = Math.Min(line.Length, size - at);
            line.AsSpan(0, first).CopyTo(bytes.AsSpan(at));
            line.AsSpan(first).CopyTo(bytes);
        }
        _bytes = bytes;
    }

    private readonly record struct Entry(long Start, int Length, long TimeTicks);
}
