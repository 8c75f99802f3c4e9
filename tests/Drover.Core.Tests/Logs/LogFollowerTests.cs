using System.Text;
using Drover.Core.Logs;
using Drover.Core.Output;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Logs;

/// <summary><c>drover logs -f</c> over files (issue #19): following while a flood is written and rotated.</summary>
public sealed class LogFollowerTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(LogSearch.Match m)
    {
        Assert.True(LogLineFormat.TryParse(m.Line, out _, out _, out var text));
        return Encoding.UTF8.GetString(text);
    }

    [Theory]
    [InlineData("w.1")]
    [InlineData("w")]
    [InlineData(null)]
    public async Task Following_during_a_flood_with_rotations_and_gzip_prints_every_line_once(string? target)
    {
        using var dir = new TempDirectory();
        const int PerSource = 20_000;
        var sources = new[] { new OutputSource("w.1", 0), new OutputSource("w.2", 0) };
        var printed = new List<string>();
        var rotation = new LogRotation(LogRotation.MinFileBytes, false, 10_000, true, null);
        var files = new LogFiles(dir.Path, rotation, _ => { }, maxQueued: 256 * 1024);
        var writtenHalf = new TaskCompletionSource();
        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            for (int n = 0, step; n < PerSource; n += step)
            {
                step = Math.Min(PerSource - n, random.Next(1, 200));
                foreach (var source in sources)
                {
                    var chunk = new StringBuilder();
                    for (int k = n; k < n + step; k++)
                    {
                        chunk.Append(source.Name).Append(" line ").Append(k).Append('\n');
                    }
                    files.Append(source, Utf8(chunk.ToString()), DateTimeOffset.UtcNow);
                }
                if (random.Next(50) == 0)
                {
                    await files.RotateAsync();
                }
                if (n >= PerSource / 2)
                {
                    writtenHalf.TrySetResult();
                }
                await Task.Yield();
            }
            await files.DisposeAsync();
        });

        // The follower starts in the middle of the flood, as a user would.
        await writtenHalf.Task;
        using (var follower = new LogFollower(dir.Path, new LogQuery(target, null, null, null, null)))
        {
            Assert.True(follower.PrintExisting(m => printed.Add(Text(m))));
            while (!writer.IsCompleted)
            {
                follower.PollNew(m => printed.Add(Text(m)));
                await Task.Delay(5);
            }
            await writer;
            follower.PollNew(m => printed.Add(Text(m)));
        }

        var expected = sources
            .Where(s => target is null || s.Name == target || s.Name.StartsWith(target + ".", StringComparison.Ordinal))
            .SelectMany(s => Enumerable.Range(0, PerSource).Select(k => $"{s.Name} line {k}"))
            .ToList();
        var missing = expected.Except(printed).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} missing, from {string.Join(", ", missing.Take(5))}; files: {string.Join(' ', Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order())}");
        Assert.Equal(expected.Count, printed.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), printed.Order(StringComparer.Ordinal));
        foreach (var source in sources.Where(s => expected.Contains($"{s.Name} line 0")))
        {
            // Each instance's own lines come in the order it wrote them.
            var own = printed.Where(p => p.StartsWith(source.Name + " ", StringComparison.Ordinal));
            Assert.Equal(Enumerable.Range(0, PerSource).Select(k => $"{source.Name} line {k}"), own);
        }
        Assert.Contains(Directory.GetFiles(dir.Path), f => f.EndsWith(".gz", StringComparison.Ordinal));
    }

    [Fact]
    public void The_junction_drops_what_the_search_printed_and_nothing_else()
    {
        var junction = new FollowJunction();
        LogSearch.Match At(long ticks, string text, string log = "web.1") => new(ticks, Utf8(text), log);
        junction.Printed(At(10, "a"));
        junction.Printed(At(20, "b"));
        junction.Printed(At(20, "b"));
        junction.Printed(At(20, "c"));

        Assert.False(junction.IsNew(At(10, "a")));
        Assert.False(junction.IsNew(At(15, "older, so the search saw it")));
        Assert.False(junction.IsNew(At(20, "b")));
        Assert.False(junction.IsNew(At(20, "b")));
        Assert.True(junction.IsNew(At(20, "b")));
        Assert.False(junction.IsNew(At(20, "c")));
        Assert.True(junction.IsNew(At(20, "d")));
        Assert.True(junction.IsNew(At(21, "a")));
        Assert.True(junction.IsNew(At(15, "another log, read after the search", "web.2")));

        junction.Passed();
        Assert.True(junction.IsNew(At(5, "a clock set back")));
    }
}
