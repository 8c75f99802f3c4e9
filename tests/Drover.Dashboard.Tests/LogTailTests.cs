using System.Text;
using Drover.Core.Output;
using Drover.Dashboard.Feed;

namespace Drover.Dashboard.Tests;

/// <summary>One page's log queue: bounded, newest kept, drops counted.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LogTailTests
{
    private static readonly OutputSource Web = new("web.1", 0);

    private static void Write(LogBook log, int from, int count)
    {
        var text = new StringBuilder();
        for (int i = from; i < from + count; i++)
        {
            text.Append("line ").Append(i).Append('\n');
        }
        log.Append(Web, Encoding.UTF8.GetBytes(text.ToString()), DateTimeOffset.UtcNow);
    }

    private static async Task<LogBatch> TakeWhenAsync(LogTail tail, SemaphoreSlim arrived, Func<LogBatch, bool> done)
    {
        var all = new List<LogLine>();
        long dropped = 0;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (tail.Take() is { } batch)
            {
                all.AddRange(batch.Lines);
                dropped += batch.Dropped;
                var sofar = new LogBatch(all, dropped);
                if (done(sofar))
                {
                    return sofar;
                }
            }
            await arrived.WaitAsync(patience.Token);
        }
    }

    [Fact]
    public async Task Starts_with_the_recent_lines_then_follows()
    {
        var log = new LogBook(100);
        Write(log, 1, 5);
        using var arrived = new SemaphoreSlim(0);
        using var tail = new LogTail(log, recentLines: 3, capacity: 100, () => arrived.Release());

        var first = await TakeWhenAsync(tail, arrived, b => b.Lines.Count == 3);
        Write(log, 6, 2);
        var next = await TakeWhenAsync(tail, arrived, b => b.Lines.Count == 2);

        Assert.Equal(["line 3", "line 4", "line 5"], first.Lines.Select(l => l.X));
        Assert.Equal(["line 6", "line 7"], next.Lines.Select(l => l.X));
        Assert.All(first.Lines.Concat(next.Lines), l => Assert.Equal("web.1", l.N));
        Assert.Equal(0, first.Dropped + next.Dropped);
    }

    [Fact]
    public async Task Beyond_its_capacity_keeps_the_newest_lines_and_counts_the_rest()
    {
        var log = new LogBook(100);
        using var arrived = new SemaphoreSlim(0);
        using var tail = new LogTail(log, recentLines: 0, capacity: 50, () => arrived.Release());
        for (int i = 0; i < 20; i++)
        {
            Write(log, 1 + (i * 30), 30); // 600 lines in chunks of 30, nobody taking
        }

        // The follower may hand lines over while they are written, so the page can take several batches; each is
        // bounded, and together they account for every line.
        var batches = new List<LogBatch>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (batches.Count == 0 || batches[^1].Lines.Count == 0 || batches[^1].Lines[^1].X != "line 600")
        {
            if (tail.Take() is { } batch)
            {
                batches.Add(batch);
                continue;
            }
            await arrived.WaitAsync(patience.Token);
        }

        Assert.All(batches, b => Assert.True(b.Lines.Count <= 50, $"{b.Lines.Count} lines in one batch"));
        Assert.Equal(600, batches.Sum(b => b.Lines.Count + b.Dropped));
        var numbers = batches.SelectMany(b => b.Lines).Select(l => int.Parse(l.X["line ".Length..])).ToList();
        Assert.Equal(numbers.Order(), numbers);
    }

    [Fact]
    public async Task A_page_that_stopped_reading_holds_at_most_a_mebibyte_of_log_and_counts_what_it_dropped()
    {
        var log = new LogBook(100);
        using var arrived = new SemaphoreSlim(0);
        using var tail = new LogTail(log, recentLines: 0, capacity: 100_000, () => arrived.Release());
        var source = new OutputSource("web.1", 0);
        // 3.2 MB: over the page's 1 MiB, under the log book's 4 MiB per follower, so every line is either handed
        // over or counted as dropped, however slowly the tail's reader runs.
        for (int i = 0; i < 200; i++)
        {
            byte[] line = [.. Encoding.ASCII.GetBytes($"{i} "), .. Enumerable.Repeat((byte)'x', (16 * 1024) - 10), (byte)'\n'];
            log.Append(source, line, DateTimeOffset.UtcNow); // nobody taking
        }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 200; i++)
        {
            await arrived.WaitAsync(patience.Token); // one signal per line handed to the tail: all 200 are in
        }
        var batches = new List<LogBatch>();
        while (tail.Take() is { } batch)
        {
            batches.Add(batch);
        }

        Assert.Equal(200, batches.Sum(b => b.Lines.Count + b.Dropped));

        Assert.True(batches[0].Lines.Count * 16 * 1024 <= LogTail.MaxQueuedBytes + (16 * 1024), $"{batches[0].Lines.Count} lines of 16 KiB waited");
        Assert.True(batches.Sum(b => b.Dropped) > 0);
    }

    [Fact]
    public async Task Cuts_very_long_lines()
    {
        var log = new LogBook(10);
        using var arrived = new SemaphoreSlim(0);
        using var tail = new LogTail(log, recentLines: 10, capacity: 10, () => arrived.Release());
        log.Append(Web, Encoding.UTF8.GetBytes(new string('x', 10_000) + "\n"), DateTimeOffset.UtcNow);

        var batch = await TakeWhenAsync(tail, arrived, b => b.Lines.Count == 1);

        Assert.Equal(LogTail.MaxLineChars + " [...]".Length, batch.Lines[0].X.Length);
    }
}
