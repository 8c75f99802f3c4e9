namespace Drover.Core.Output;

/// <summary>
/// Buffers for output chunks, kept for reuse between the reader (which rents) and the writer thread (which
/// returns). <see cref="System.Buffers.ArrayPool{T}.Shared"/> keeps only a few dozen arrays per size, while up to
/// <see cref="OutputHub.HighWater"/> bytes of chunks may be in flight during a flood: it ran dry and every chunk
/// became garbage. This pool keeps enough for the whole back-pressure window, and no more.
/// </summary>
/// <remarks>
/// Kept rather than <c>ArrayPool&lt;byte&gt;.Create(128 KiB, 128)</c>, measured against it in one run (issue 15,
/// docs/benchmarks.md): the built-in pool limits a count of arrays per size class, not bytes, so a window of 4 KiB
/// chunks (1,024 in flight) overflows it and allocates (35-37 B per line against 1 B here, micro-benchmark), while
/// a count high enough for them would let it keep that many 128 KiB arrays too (128 MiB). Under the 4 x 500k-line
/// flood its peak RSS was 71.7 MiB against 54.4 MiB here (medians of 3), with no gain in lines/s. This pool caps
/// what it keeps at twice the window in bytes, whatever the sizes.
/// </remarks>
internal static class ChunkPool
{
    private const int MinShift = 8;   // 256 B: Drover's own lines
    private const int MaxShift = 17;  // 128 KiB: a 64 KiB partial line plus a 64 KiB read

    // Chunks are rounded up to a power of two, so the window's buffers take at most twice its bytes.
    private const long RetainLimit = 2 * OutputHub.HighWater;

    private static readonly Stack<byte[]>[] Free = CreateStacks();
    private static long _retained;

    /// <summary>A buffer of at least <paramref name="length"/> bytes.</summary>
    public static byte[] Rent(int length)
    {
        int shift = ShiftFor(length);
        if (shift > MaxShift)
        {
            return new byte[length];
        }
        var stack = Free[shift - MinShift];
        lock (stack)
        {
            if (stack.TryPop(out var buffer))
            {
                Interlocked.Add(ref _retained, -buffer.Length);
                return buffer;
            }
        }
        return new byte[1 << shift];
    }

    /// <summary>Takes back a buffer from <see cref="Rent"/>; kept while the pool holds less than its limit.</summary>
    public static void Return(byte[] buffer)
    {
        int shift = ShiftFor(buffer.Length);
        if (shift > MaxShift || buffer.Length != 1 << shift)
        {
            return;
        }
        if (Interlocked.Add(ref _retained, buffer.Length) > RetainLimit)
        {
            Interlocked.Add(ref _retained, -buffer.Length);
            return;
        }
        var stack = Free[shift - MinShift];
        lock (stack)
        {
            stack.Push(buffer);
        }
    }

    private static int ShiftFor(int length) =>
        length <= 1 << MinShift ? MinShift : 32 - int.LeadingZeroCount(length - 1);

    private static Stack<byte[]>[] CreateStacks()
    {
        var stacks = new Stack<byte[]>[MaxShift - MinShift + 1];
        for (int i = 0; i < stacks.Length; i++)
        {
            stacks[i] = new Stack<byte[]>();
        }
        return stacks;
    }
}
