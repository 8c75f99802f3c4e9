namespace Drover.Core.Output;

/// <summary>Whole lines (each ending in '\n') that one source wrote at about one moment; immutable once made.</summary>
/// <param name="Time">When the writer wrote them.</param>
/// <param name="Source">Who wrote them.</param>
/// <param name="Data">The bytes; never modified after creation, so readers may share them.</param>
/// <param name="Lines">How many lines <paramref name="Data"/> holds.</param>
public sealed record LogChunk(DateTimeOffset Time, OutputSource Source, byte[] Data, int Lines)
{
    /// <summary>The lines, without their newlines.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> EachLine()
    {
        int start = 0;
        while (start < Data.Length)
        {
            int end = Array.IndexOf(Data, (byte)'\n', start);
            yield return Data.AsMemory(start, end - start);
            start = end + 1;
        }
    }
}
