namespace Drover.Core.Output;

/// <summary>
/// Writes a chunk's lines with their prefixes: each line gets the prefix of its source, and a line longer than
/// <see cref="LineFramer.MaxLine"/> goes out in pieces, each with its own prefix. Writer thread only, except
/// <see cref="SetNameWidth"/>.
/// </summary>
internal sealed class ChunkRenderer(PrefixFormatter formatter, BlockWriter output)
{
    // Set by any thread, consumed by the writer; 0 means no change pending.
    private int _pendingWidth;

    /// <summary>Changes the width names are padded to, from the next chunk on.</summary>
    public void SetNameWidth(int width) => Volatile.Write(ref _pendingWidth, width);

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
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)'\n');
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
    }
}
