using System.Text;
using System.Text.RegularExpressions;
using Drover.Core.Output;
using Drover.Core.Probes;

namespace Drover.Core.Tests.Probes;

public sealed class ReadyLineWatchTests
{
    private sealed class Collect : IOutputSink
    {
        public List<byte> Bytes { get; } = [];

        public bool Completed { get; private set; }

        public bool Write(ReadOnlySpan<byte> data)
        {
            Bytes.AddRange(data.ToArray());
            return true;
        }

        public Task WhenWritable() => Task.CompletedTask;

        public void Complete() => Completed = true;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Every_byte_passes_unchanged_and_a_line_split_across_writes_matches_once(int chunk)
    {
        var inner = new Collect();
        var seen = new List<string>();
        var watch = new ReadyLineWatch(inner, new Regex("listening on port \\d+"), seen.Add);
        byte[] input = Encoding.UTF8.GetBytes("booting\r\nnow listening on port 5432\r\nlistening on port 1\nbye\xff");

        for (int at = 0; at < input.Length; at += chunk)
        {
            watch.Write(input.AsSpan(at, Math.Min(chunk, input.Length - at)));
        }
        watch.Complete();

        Assert.Equal(input, inner.Bytes);
        Assert.True(inner.Completed);
        Assert.Equal(["now listening on port 5432"], seen);
    }

    [Fact]
    public void An_unfinished_last_line_is_matched_at_the_end()
    {
        var seen = new List<string>();
        var watch = new ReadyLineWatch(new Collect(), new Regex("^ready$"), seen.Add);

        watch.Write("x\nready"u8);
        Assert.Empty(seen);
        watch.Complete();

        Assert.Equal(["ready"], seen);
    }
}
