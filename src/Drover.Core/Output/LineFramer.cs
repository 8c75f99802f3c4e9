namespace Drover.Core.Output;

/// <summary>
/// Turns one process's raw output bytes into whole lines for the <see cref="OutputHub"/>: a line is never split
/// between chunks or glued to another source's. Bytes pass through untouched (invalid UTF-8 included).
/// A line longer than <see cref="MaxLine"/> is passed on in pieces so memory stays bounded.
/// </summary>
public sealed class LineFramer : IOutputSink
{
    /// <summary>The longest line kept whole; longer ones are cut into pieces of this size.</summary>
    public const int MaxLine = 64 * 1024;

    private readonly OutputHub _hub;
    private readonly OutputSource _source;

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
        int newline = data.LastIndexOf((byte)'\n');
        if (newline < 0)
        {
            AppendPartial(data);
            return _hub.HasRoom;
        }
        // The pending partial line plus every complete line of this read go out as one chunk. A line in it may
        // exceed MaxLine by up to one read; the writer cuts such lines into pieces.
        var complete = data[..(newline + 1)];
        int length = _partialLength + complete.Length;
        byte[] buffer = ChunkPool.Rent(length);
        _partial.AsSpan(0, _partialLength).CopyTo(buffer);
        complete.CopyTo(buffer.AsSpan(_partialLength));
        _partialLength = 0;
        _hub.Enqueue(new OutputChunk(_source, buffer, length));
        AppendPartial(data[(newline + 1)..]);
        return _hub.HasRoom;
    }

    /// <inheritdoc />
    public Task WhenWritable() => _hub.WhenHasRoom();

    /// <inheritdoc />
    public void Complete()
    {
        if (_partialLength > 0)
        {
            FlushPartialAsPiece();
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
        _hub.Enqueue(new OutputChunk(_source, buffer, _partialLength + 1));
        _partialLength = 0;
    }
}
