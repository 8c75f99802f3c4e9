namespace Drover.Core.Output;

/// <summary>
/// Writes a chunk's lines with their prefixes: each line gets the prefix of its source, and a line longer than
/// <see cref="LineFramer.MaxLine"/> goes out in pieces, each with its own prefix. On a terminal a partial line (a
/// prompt) is shown at once and continued by its source's next chunk. Writer thread only, except
/// <see cref="SetNameWidth"/>.
/// </summary>
internal sealed class ChunkRenderer(PrefixFormatter formatter, BlockWriter output)
{
    // Set by any thread, consumed by the writer; 0 means no change pending.
    private int _pendingWidth;
    // The source whose partial line is on screen without its newline yet; null when every line is finished.
    private OutputSource? _openLine;
    // What that partial line shows after its prefix, to draw it again below another source's lines.
    private readonly List<byte> _openText = [];

    /// <summary>Changes the width names are padded to, from the next chunk on.</summary>
    public void SetNameWidth(int width) => Volatile.Write(ref _pendingWidth, width);

    /// <summary>Ends a partial line left on screen (at the end of the output).</summary>
    public void Finish()
    {
        if (_openLine is not null)
        {
            output.Append("\n"u8);
            _openLine = null;
        }
    }

    /// <summary>Writes every line of <paramref name="chunk"/>.</summary>
    public void Render(OutputChunk chunk)
    {
        int width = Volatile.Read(ref _pendingWidth);
        if (width != 0)
        {
            formatter.NameWidth = width;
            Volatile.Write(ref _pendingWidth, 0);
        }
        ReadOnlySpan<byte> rest = chunk.Span;
        byte[] prefix = formatter.Prefix(chunk.Source);
        // A partial line on screen is continued by its own source's next chunk. Whole lines of another source go
        // above it: it is erased, they are written, and it is drawn again under them, so no line is cut. Another
        // partial line finishes it instead (only one line can be last on screen); its rest gets a prefix of its own.
        bool continues = chunk.StartsMidLine && ReferenceEquals(_openLine, chunk.Source);
        OutputSource? redraw = null;
        if (_openLine is not null && !continues)
        {
            if (!chunk.EndsMidLine && !ReferenceEquals(_openLine, chunk.Source))
            {
                output.Append("\r\u001b[K"u8);
                redraw = _openLine;
            }
            else
            {
                output.Append("\n"u8);
                _openText.Clear();
            }
            _openLine = null;
        }
        if (chunk.StartsMidLine && !continues && rest[0] == '\n')
        {
            rest = rest[1..]; // the end of a line that was finished already
        }
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                // A partial line: shown now, left open for the rest.
                if (!continues)
                {
                    output.Append(prefix);
                    _openText.Clear();
                }
                output.Append(rest);
                _openText.AddRange(rest[..Math.Min(rest.Length, LineFramer.MaxLine - Math.Min(_openText.Count, LineFramer.MaxLine))]);
                _openLine = chunk.Source;
                break;
            }
            if (continues)
            {
                output.Append(rest[..(end + 1)]);
                rest = rest[(end + 1)..];
                continues = false;
                _openLine = null;
                _openText.Clear();
                continue;
            }
            var line = rest[..end];
            while (line.Length > LineFramer.MaxLine)
            {
                output.Append(prefix);
                output.Append(line[..LineFramer.MaxLine]);
                output.Append("\n"u8);
                line = line[LineFramer.MaxLine..];
            }
            output.Append(prefix);
            output.Append(rest[..(end + 1)][^(line.Length + 1)..]);
            rest = rest[(end + 1)..];
        }
        if (redraw is not null)
        {
            output.Append(formatter.Prefix(redraw));
            output.Append(global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_openText));
            _openLine = redraw;
        }
    }
}
