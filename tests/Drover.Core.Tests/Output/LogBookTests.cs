using System.Text;
using Drover.Core.Output;

namespace Drover.Core.Tests.Output;

public sealed class LogBookTests
{
    private static readonly OutputSource Web1 = new("web.1", 0);
    private static readonly OutputSource Web2 = new("web.2", 0);
    private static readonly OutputSource Worker = new("worker.1", 1);
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static string Text(IEnumerable<LogChunk> chunks) =>
        string.Concat(chunks.Select(c => $"{c.Source.Name}:{Encoding.UTF8.GetString(c.Data)}"));

    [Fact]
    public void Recent_lines_of_matching_sources_come_interleaved_by_time()
    {
        var log = new LogBook(linesPerSource: 2);
        log.Append(Web1, "a1\na2\na3\n"u8, T0);
        log.Append(Worker, "w1\n"u8, T0.AddSeconds(1));
        log.Append(Web2, "b1\n"u8, T0.AddSeconds(2));
        log.Append(Web1, "a4\n"u8, T0.AddSeconds(3));

        var (recent, live) = log.Read(name => name.StartsWith("web.", StringComparison.Ordinal), lines: 10, follow: false);

        Assert.Null(live);
        Assert.Equal("web.1:a3\nweb.2:b1\nweb.1:a4\n", Text(recent));
    }

    [Fact]
    public async Task A_follower_gets_new_lines_of_its_sources_only()
    {
        var log = new LogBook(linesPerSource: 10);
        var (_, live) = log.Read(name => name == "web.1", lines: 0, follow: true);

        log.Append(Worker, "not for you\n"u8, T0);
        log.Append(Web1, "for you\n"u8, T0);

        var chunk = await live!.ReadAsync();
        Assert.Equal("web.1:for you\n", Text([chunk]));
        Assert.False(live.TryRead(out _));
    }

    [Fact]
    public async Task A_follower_that_falls_behind_is_cut_off_and_the_writer_never_waits()
    {
        var log = new LogBook(linesPerSource: 10);
        var (_, live) = log.Read(_ => true, lines: 0, follow: true, followCapacity: 4);

        for (int i = 0; i < 100; i++)
        {
            log.Append(Web1, Encoding.UTF8.GetBytes($"line {i}\n"), T0);
        }

        var received = new List<LogChunk>();
        var ex = await Assert.ThrowsAsync<LogFollowerTooSlowException>(async () =>
        {
            await foreach (var c in live!.ReadAllAsync())
            {
                received.Add(c);
            }
        });
        Assert.Equal(4, received.Count);
        Assert.Contains("disconnected", ex.Message);
    }

    [Fact]
    public async Task Unfollowing_ends_the_reader()
    {
        var log = new LogBook(linesPerSource: 10);
        var (_, live) = log.Read(_ => true, lines: 0, follow: true);

        log.Unfollow(live!);

        Assert.False(await live!.WaitToReadAsync());
    }

    [Fact]
    public async Task A_stalled_follower_holds_at_most_its_byte_bound_and_is_then_disconnected_with_a_reason()
    {
        var log = new LogBook(linesPerSource: 10);
        var (_, live) = log.Read(_ => true, lines: 0, follow: true, followCapacity: 4096, followBytes: 1024 * 1024);
        byte[] chunk = [.. Enumerable.Repeat((byte)'x', 64 * 1024 - 1), (byte)'\n'];

        // 100 chunks of 64 KiB while nobody reads: far fewer than 4096 chunks, far more than 1 MiB.
        for (int i = 0; i < 100; i++)
        {
            log.Append(Web1, chunk, T0);
        }

        long waiting = 0;
        var ended = await Assert.ThrowsAsync<LogFollowerTooSlowException>(async () =>
        {
            await foreach (var c in live!.ReadAllAsync())
            {
                waiting += c.Data.Length;
            }
        });
        Assert.Contains("disconnected", ended.Message, StringComparison.Ordinal);
        Assert.True(waiting <= 1024 * 1024, $"{waiting} bytes were queued for a follower bound to 1 MiB");
    }

    [Fact]
    public async Task A_follower_that_keeps_reading_is_never_disconnected_by_the_byte_bound()
    {
        var log = new LogBook(linesPerSource: 10);
        var (_, live) = log.Read(_ => true, lines: 0, follow: true, followCapacity: 4096, followBytes: 256 * 1024);
        byte[] chunk = [.. Enumerable.Repeat((byte)'x', 64 * 1024 - 1), (byte)'\n'];

        for (int i = 0; i < 100; i++)
        {
            log.Append(Web1, chunk, T0);
            Assert.True(live!.TryRead(out _)); // read as it comes: never more than one chunk waiting
        }

        Assert.False(live!.Completion.IsCompleted);
        await Task.CompletedTask;
    }
}
