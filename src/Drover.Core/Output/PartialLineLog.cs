namespace Drover.Core.Output;

/// <summary>
/// The log (<c>drover logs</c>, followers) keeps whole lines only: a partial line shown on screen is held here, per
/// source, until the rest of it comes. Owned by the output writer thread.
/// </summary>
internal sealed class PartialLineLog
{
    private readonly Dictionary<OutputSource, byte[]> _open = [];

    /// <summary>The whole lines <paramref name="chunk"/> completes, each ending in '\n'; empty when none.</summary>
    public ReadOnlySpan<byte> WholeLines(OutputChunk chunk)
    {
        ReadOnlySpan<byte> data = chunk.Span;
        if (!chunk.StartsMidLine && !chunk.EndsMidLine && _open.Count == 0)
        {
            return data; // the usual case: nothing held, nothing to hold
        }
        if (_open.Remove(chunk.Source, out byte[]? held))
        {
            byte[] joined = chunk.StartsMidLine ? [.. held, .. data] : [.. held, (byte)'\n', .. data];
            data = joined;
        }
        if (!chunk.EndsMidLine)
        {
            return data;
        }
        int end = data.LastIndexOf((byte)'\n') + 1;
        _open[chunk.Source] = data[end..].ToArray();
        return data[..end];
    }
}
