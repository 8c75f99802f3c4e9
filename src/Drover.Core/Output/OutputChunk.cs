namespace Drover.Core.Output;

/// <summary>
/// Whole lines from one source, each ending in '\n', in a buffer rented from the <see cref="ChunkPool"/>. The writer
/// prefixes every line and returns the buffer. A partial line (a prompt left waiting) makes the exceptions: with
/// <see cref="StartsMidLine"/> the first line continues what the source's previous chunk left open; with
/// <see cref="EndsMidLine"/> the last line has no '\n' yet.
/// </summary>
internal readonly record struct OutputChunk(OutputSource Source, byte[] Buffer, int Length, bool StartsMidLine = false, bool EndsMidLine = false)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Return() => ChunkPool.Return(Buffer);
}
