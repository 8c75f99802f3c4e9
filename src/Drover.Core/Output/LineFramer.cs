namespace Drover.Core.Output;

/// <summary>
/// Turns one process's raw output bytes into whole lines for the <see cref="OutputHub"/>: a line is never split
/// between chunks or glued to another source's. Bytes pass through untouched (invalid UTF-8 included).
/// A line longer than <see cref="MaxLine"/> is passed on in pieces so memory stays bounded. When the hub shows partial
/// lines, an unfinished line that stays unfinished for <see cref="PartialLineDelay"/> (a prompt waiting for input) is
/// passed on as it is, and the rest of it, when it comes, continues it.
/// </summary>
public sealed class LineFramer : IOutputSink
{
    /// <summary>The longest line kept whole; longer ones are cut into pieces of this size.</summary>
    public const int MaxLine = 64 * 1024;

    /// <summary>How long an unfinished line waits for the rest before it is shown as it is.</summary>
    public static readonly TimeSpan PartialLineDelay = TimeSpan.FromMilliseconds(100);

    private readonly OutputHub _hub;
    private readonly OutputSource _source;

    // The reader thread writes and the idle timer flushes: both under _gate (uncontended but for a prompt's flush).
    private readonly object _gate = new();
    // The last chunk sent left its line open (a partial line shown): the next one continues it.
    private bool _continues;
    // Created at the first unfinished line; armed while one waits. _writes counts reads, so the timer can tell
    // whether the line has been idle for a whole delay.
    private ITimer? _idle;
    private bool _armed;
    private long _writes;
    private long _writesWhenArmed;
    // The last write asked the reader to pause: the rest of the line may be waiting in the pipe, unread, so the
    // quiet is Drover's, not the process's. No partial line is shown until a whole delay has passed after resuming.
    private bool _paused;

    // The unfinished last line; touched only by the single reader thread.
    // Grown on demand up to MaxLine: most reads end on a line boundary, and a hundred idle processes should not
    // hold 64 KiB each.
    private byte[] _partial = [];
    private int _partialLength;

    /// <summary>Creates a framer that feeds <paramref name="hub"/> with lines from <paramref name="source"/>.</summary>
    public LineFramer(OutputHub hub, OutputSource source)
    {
        _hub = hub;
        _source = source;
    }

    /// <inheritdoc />
    public bool Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            _writes++;
            WriteLocked(data);
            _paused = !_hub.HasRoom;
            if (_partialLength > 0 && !_armed && _hub.ShowsPartialLines)
            {
                Arm();
            }
            return !_paused;
        }
    }

    private void WriteLocked(ReadOnlySpan<byte> data)
    {
        int newline = data.LastIndexOf((byte)'\n');
        if (newline < 0)
        {
            AppendPartial(data);
            return;
        }
        // The pending partial line plus every complete line of this read go out as one chunk. A line in it may
        // exceed MaxLine by up to one read; the writer cuts such lines into pieces.
        var complete = data[..(newline + 1)];
        int length = _partialLength + complete.Length;
        byte[] buffer = ChunkPool.Rent(length);
        _partial.AsSpan(0, _partialLength).CopyTo(buffer);
        complete.CopyTo(buffer.AsSpan(_partialLength));
        _partialLength = 0;
        _hub.Enqueue(new OutputChunk(_source, buffer, length, StartsMidLine: _continues));
        _continues = false;
        AppendPartial(data[(newline + 1)..]);
    }

    private void Arm()
    {
        _idle ??= _hub.Time.CreateTimer(_ => OnIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _armed = true;
        _writesWhenArmed = _writes;
        _idle.Change(PartialLineDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The delay has passed since the timer was armed: show the unfinished line if nothing came since.</summary>
    private void OnIdle()
    {
        lock (_gate)
        {
            _armed = false;
            if (_partialLength == 0)
            {
                return;
            }
            if (_paused && _hub.WhenHasRoom().IsCompleted)
            {
                _paused = false; // the reader resumes now: give it a whole delay to read the rest
                Arm();
                return;
            }
            if (_writes != _writesWhenArmed || _paused)
            {
                Arm(); // more of the line came, or the reader is paused: wait for a whole quiet delay
                return;
            }
            byte[] buffer = ChunkPool.Rent(_partialLength);
            _partial.AsSpan(0, _partialLength).CopyTo(buffer);
            _hub.Enqueue(new OutputChunk(_source, buffer, _partialLength, StartsMidLine: _continues, EndsMidLine: true));
            _partialLength = 0;
            _continues = true;
        }
    }

    /// <inheritdoc />
    public Task WhenWritable() => _hub.WhenHasRoom();

    /// <inheritdoc />
    public void Complete()
    {
        lock (_gate)
        {
            if (_partialLength > 0 || _continues)
            {
                FlushPartialAsPiece();
            }
            _idle?.Dispose();
            _idle = null;
            _armed = true; // never again
        }
    }

    private void AppendPartial(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            // A full buffer is cut only when more of the same line arrives: if the newline comes next, the line
            // goes out whole (the writer cuts over-long lines itself) instead of gaining an empty piece.
            if (_partialLength == MaxLine)
            {
                FlushPartialAsPiece();
            }
            int take = Math.Min(MaxLine - _partialLength, data.Length);
            if (_partialLength + take > _partial.Length)
            {
                Array.Resize(ref _partial, Math.Min(MaxLine, Math.Max(_partialLength + take, _partial.Length * 2)));
            }
            data[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            data = data[take..];
        }
    }

    private void FlushPartialAsPiece()
    {
        byte[] buffer = ChunkPool.Rent(_partialLength + 1);
        _partial.AsSpan(0, _partialLength).CopyTo(buffer);
        buffer[_partialLength] = (byte)'\n';
        _hub.Enqueue(new OutputChunk(_source, buffer, _partialLength + 1, StartsMidLine: _continues));
        _partialLength = 0;
        _continues = false;
    }
}
