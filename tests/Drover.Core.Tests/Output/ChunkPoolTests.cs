using Drover.Core.Output;

namespace Drover.Core.Tests.Output;

public sealed class ChunkPoolTests
{
    [Theory]
    [InlineData(0, 256)]
    [InlineData(1, 256)]
    [InlineData(256, 256)]
    [InlineData(257, 512)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(128 * 1024, 128 * 1024)]
    public void A_rented_buffer_is_the_next_power_of_two_at_least_256_bytes(int length, int size)
    {
        byte[] buffer = ChunkPool.Rent(length);
        Assert.Equal(size, buffer.Length);
        ChunkPool.Return(buffer);
    }

    [Fact]
    public void A_returned_buffer_is_rented_again()
    {
        // An odd size class that no other test uses, so parallel tests cannot take it in between.
        byte[] first = ChunkPool.Rent(100_000);
        ChunkPool.Return(first);
        Assert.Same(first, ChunkPool.Rent(100_000));
    }

    [Fact]
    public void Buffers_beyond_the_largest_class_are_neither_pooled_nor_rounded()
    {
        byte[] big = ChunkPool.Rent(200_000);
        Assert.Equal(200_000, big.Length);
        ChunkPool.Return(big);
        Assert.NotSame(big, ChunkPool.Rent(200_000));
    }

    [Fact]
    public void The_pool_keeps_no_more_than_twice_the_back_pressure_window()
    {
        // Return far more than the limit; only up to 2 x HighWater comes back without allocating.
        var buffers = Enumerable.Range(0, 600).Select(_ => ChunkPool.Rent(32 * 1024)).ToList();
        buffers.ForEach(ChunkPool.Return);
        var again = Enumerable.Range(0, 600).Select(_ => ChunkPool.Rent(32 * 1024)).ToList();
        int reused = again.Count(b => buffers.Contains(b));
        Assert.InRange(reused, 1, 2 * OutputHub.HighWater / (32 * 1024));
        again.ForEach(ChunkPool.Return);
    }
}
