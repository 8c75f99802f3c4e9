using System.Text;
using Drover.Core.Output;

namespace Drover.Core.Tests.Output;

public sealed class LineRingTests
{
    private static string[] Texts(LineRing ring, int n) => [.. ring.Last(n).Select(l => Encoding.UTF8.GetString(l.Line))];

    [Fact]
    public void Keeps_the_last_lines_up_to_the_line_limit_in_order()
    {
        var ring = new LineRing(maxLines: 3, maxBytes: 1024);
        for (int i = 1; i <= 10; i++)
        {
            ring.Add(Encoding.UTF8.GetBytes($"line {i}"), i);
        }

        Assert.Equal(["line 8", "line 9", "line 10"], Texts(ring, 100));
        Assert.Equal(["line 10"], Texts(ring, 1));
        Assert.Equal([8L, 9L, 10L], ring.Last(3).Select(l => l.TimeTicks));
    }

    [Fact]
    public void Keeps_no_more_bytes_than_the_byte_limit_and_wraps_lines_around_the_buffer_intact()
    {
        var ring = new LineRing(maxLines: 1000, maxBytes: 100);
        var all = Enumerable.Range(1, 200).Select(i => $"{i:D3}-" + new string((char)('a' + (i % 26)), i % 17)).ToList();
        foreach (string line in all)
        {
            ring.Add(Encoding.UTF8.GetBytes(line), 0);
        }

        string[] kept = Texts(ring, 1000);
        Assert.True(kept.Sum(k => k.Length) <= 100);
        Assert.Equal(all.Skip(all.Count - kept.Length), kept);
        Assert.True(kept.Length > 3);
    }

    [Fact]
    public void A_line_longer_than_the_byte_limit_keeps_its_end()
    {
        var ring = new LineRing(maxLines: 10, maxBytes: 8);
        ring.Add("short"u8, 0);
        ring.Add("0123456789abcdef"u8, 0);

        Assert.Equal(["89abcdef"], Texts(ring, 10));
    }

    [Fact]
    public void Growing_the_buffer_keeps_every_line()
    {
        var ring = new LineRing(maxLines: 10_000, maxBytes: 1024 * 1024);
        var all = Enumerable.Range(0, 5000).Select(i => $"line number {i} " + new string('x', i % 300)).ToList();
        foreach (string line in all)
        {
            ring.Add(Encoding.UTF8.GetBytes(line), 0);
        }

        Assert.Equal(all, Texts(ring, 10_000));
    }

    [Fact]
    public void An_empty_first_line_is_kept_like_any_other()
    {
        // A process whose output starts with "\n" (pry does) once crashed the writer: a division by the empty buffer.
        var ring = new LineRing(maxLines: 10, maxBytes: 1024);

        ring.Add([], 1);
        ring.Add(Encoding.UTF8.GetBytes("after"), 2);
        ring.Add([], 3);

        Assert.Equal(["", "after", ""], Texts(ring, 10));
    }

    [Fact]
    public void A_zero_limit_keeps_nothing()
    {
        var ring = new LineRing(maxLines: 0, maxBytes: 1024);
        ring.Add("x"u8, 0);

        Assert.Empty(ring.Last(10));
    }
}
