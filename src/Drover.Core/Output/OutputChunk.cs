namespace Drover.Core.Output;

/// <summary>
/// Whole lines from one source, each ending in '\n', in a buffer rented from the <see cref="ChunkPool"/>. The writer
/// prefixes every line and returns the buffer.
/// </summary>
internal readonly record struct OutputChunk(OutputSource Source, byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Return() => ChunkPool.Return(Buffer);
}
