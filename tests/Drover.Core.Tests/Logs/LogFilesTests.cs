using System.Collections.Concurrent;
using System.Text;
using Drover.Core.Logs;
using Drover.Core.Output;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Logs;

public sealed class LogFilesTests
{
    private static readonly OutputSource Web1 = new("web.1", 0);
    private static readonly OutputSource Web2 = new("web.2", 0);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static List<string> Texts(string dir, string? target, LogQuery? query = null)
    {
        var texts = new List<string>();
        LogSearch.Run(dir, (query ?? new LogQuery()) with { Target = target }, m =>
        {
            Assert.True(LogLineFormat.TryParse(m.Line, out _, out var name, out var text));
            texts.Add(target is null ? $"{Encoding.UTF8.GetString(name)} {Encoding.UTF8.GetString(text)}" : Encoding.UTF8.GetString(text));
        });
        return texts;
    }

    [Fact]
    public async Task Each_instance_has_its_own_file_and_the_combined_file_has_everything_with_lifecycle_lines()
    {
        using var dir = new TempDirectory();
        var time = TestClock.Create();
        await using (var files = new LogFiles(dir.Path, LogRotation.None, _ => { }, time))
        {
            files.Append(OutputSource.System, Utf8("web.1 started with pid 10\n"), time.GetUtcNow());
            files.Append(Web1, Utf8("one\ntwo\n"), time.GetUtcNow());
            files.Append(Web2, [0xff, 0x41, (byte)'\n'], time.GetUtcNow());
            files.Lifecycle("web.1 exited with code 0", time.GetUtcNow());
        }

        Assert.Equal(["drover.log", "web.1.log", "web.2.log"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("2026-03-04T05:06:07.000000Z web.1 | one\n2026-03-04T05:06:07.000000Z web.1 | two\n", File.ReadAllText(dir.Combine("web.1.log")));
        Assert.Equal([.. Utf8("2026-03-04T05:06:07.000000Z web.2 | "), 0xff, 0x41, (byte)'\n'], File.ReadAllBytes(dir.Combine("web.2.log")));
        Assert.Equal(["system web.1 started with pid 10", "web.1 one", "web.1 two", "web.2 \uFFFDA", "system web.1 exited with code 0"], Texts(dir.Path, null));
    }

    [Fact]
    public async Task A_line_longer_than_64_KiB_is_kept_in_pieces_as_on_stdout()
    {
        using var dir = new TempDirectory();
        string longLine = new('x', LineFramer.MaxLine + 10);
        await using (var files = new LogFiles(dir.Path, LogRotation.None, _ => { }))
        {
            files.Append(Web1, Utf8(longLine + "\n"), DateTimeOffset.UtcNow);
        }
        Assert.Equal([longLine[..LineFramer.MaxLine], longLine[LineFramer.MaxLine..]], Texts(dir.Path, "web.1"));
    }

    [Fact]
    public async Task Under_a_flood_with_rotations_by_size_and_on_demand_every_line_is_in_the_files_once_and_in_order()
    {
        using var dir = new TempDirectory();
        const int PerSource = 50_000;
        var sources = Enumerable.Range(1, 4).Select(i => new OutputSource($"w.{i}", 0)).ToArray();
        var onDemand = new List<Task<IReadOnlyList<string>>>();
        await using (var files = new LogFiles(dir.Path, new LogRotation(LogRotation.MinFileBytes, false, 1000, false, null), _ => { }, maxQueued: 256 * 1024))
        {
            var chunk = new StringBuilder();
            var random = new Random(19);
            for (int n = 0, step; n < PerSource; n += step)
            {
                // Chunks of a line to thousands of lines, as a pump reads them: small ones are buffered, big ones written as they are.
                step = Math.Min(PerSource - n, random.Next(4) == 0 ? random.Next(1000, 5000) : random.Next(1, 20));
                foreach (var source in sources)
                {
                    chunk.Clear();
                    for (int k = n; k < n + step; k++)
                    {
                        chunk.Append(source.Name).Append(" line ").Append(k).Append('\n');
                    }
                    files.Append(source, Utf8(chunk.ToString()), DateTimeOffset.UtcNow);
                }
                if (onDemand.Count < n / 5000)
                {
                    // From another thread, as the control API does, between the writer's appends.
                    onDemand.Add(Task.Run(files.RotateAsync));
                }
            }
            await Task.WhenAll(onDemand);
        }

        var rotated = onDemand.SelectMany(t => t.Result).ToList();
        Assert.NotEmpty(rotated);
        foreach (var source in sources)
        {
            var expected = Enumerable.Range(0, PerSource).Select(k => $"{source.Name} line {k}");
            Assert.Equal(expected, Texts(dir.Path, source.Name));
        }
        var combined = Texts(dir.Path, null);
        Assert.Equal(4 * PerSource, combined.Count);
        Assert.Equal(4 * PerSource, combined.Distinct().Count());
    }

    [Fact]
    public async Task Rotated_files_are_gzipped_and_only_the_newest_kept_and_search_reads_them()
    {
        using var dir = new TempDirectory();
        await using (var files = new LogFiles(dir.Path, new LogRotation(null, false, 2, true, null), _ => { }))
        {
            for (int i = 1; i <= 4; i++)
            {
                files.Append(Web1, Utf8($"batch {i}\n"), DateTimeOffset.UtcNow);
                await files.RotateAsync();
            }
            files.Append(Web1, Utf8("current\n"), DateTimeOffset.UtcNow);
        }

        var names = Directory.GetFiles(dir.Path).Select(Path.GetFileName).ToList();
        Assert.Equal(2, names.Count(n => n!.StartsWith("web.1.log.", StringComparison.Ordinal) && n.EndsWith(".gz", StringComparison.Ordinal)));
        Assert.Contains("web.1.log", names);
        Assert.Equal(["batch 3", "batch 4", "current"], Texts(dir.Path, "web.1"));
    }

    [Fact]
    public async Task A_new_local_day_starts_a_new_file()
    {
        using var dir = new TempDirectory();
        var time = TestClock.Create();
        await using (var files = new LogFiles(dir.Path, new LogRotation(null, true, 5, false, null), _ => { }, time))
        {
            files.Append(Web1, Utf8("monday\n"), time.GetUtcNow());
            files.Append(Web1, Utf8("still monday\n"), time.GetUtcNow().AddHours(18));
            files.Append(Web1, Utf8("tuesday\n"), time.GetUtcNow().AddHours(19));
        }

        Assert.Equal(["monday", "still monday"], File.ReadAllLines(dir.Combine("web.1.log.000001")).Select(l => l[(l.IndexOf('|') + 2)..]));
        Assert.EndsWith("| tuesday\n", File.ReadAllText(dir.Combine("web.1.log")));
    }

    [Fact]
    public async Task The_directory_never_holds_more_than_its_bound_under_a_flood_even_while_compressing()
    {
        using var dir = new TempDirectory();
        const long Bound = 1024 * 1024;
        long largest = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long total = 0;
                foreach (var f in new DirectoryInfo(dir.Path).EnumerateFiles())
                {
                    try
                    {
                        total += f.Length;
                    }
                    catch (FileNotFoundException)
                    {
                        // deleted between listing and reading
                    }
                }
                largest = Math.Max(largest, total);
            }
        });
        await using (var files = new LogFiles(dir.Path, new LogRotation(LogRotation.MinFileBytes, false, 100, true, Bound), _ => { }))
        {
            var random = new Random(7);
            for (int i = 0; i < 40_000; i++)
            {
                // Random text compresses badly, so the gzipped files are nearly as big as the plain ones.
                string text = Convert.ToBase64String(Enumerable.Range(0, 60).Select(_ => (byte)random.Next()).ToArray());
                files.Append(i % 2 == 0 ? Web1 : Web2, Utf8($"{i} {text}\n"), DateTimeOffset.UtcNow);
            }
        }
        stop.Cancel();
        await watcher;

        long final = new DirectoryInfo(dir.Path).EnumerateFiles().Sum(f => f.Length);
        Assert.InRange(final, Bound / 2, Bound);
        Assert.InRange(largest, 1, Bound);
        // The newest lines are kept, the oldest went.
        Assert.EndsWith("39999", Texts(dir.Path, "web.2")[^1].Split(' ')[0]);
        Assert.DoesNotContain(Texts(dir.Path, "web.1"), t => t.StartsWith("0 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unwritable_directory_is_said_once_lines_are_counted_and_writing_resumes_when_it_can()
    {
        using var dir = new TempDirectory();
        string logs = dir.Write("logs", "a file where the directory should be");
        var time = TestClock.Create();
        var said = new ConcurrentQueue<string>();
        await using (var files = new LogFiles(logs, LogRotation.None, said.Enqueue, time))
        {
            for (int i = 0; i < 5; i++)
            {
                files.Append(Web1, Utf8($"lost {i}\n"), time.GetUtcNow());
            }
            await Poll.Until(() => files.LinesLost == 5, "five lines counted as lost");
            Assert.Single(said);
            Assert.Contains("cannot write to " + logs, said.Single());

            File.Delete(logs);
            time.Advance(TimeSpan.FromSeconds(1));
            files.Append(Web1, Utf8("kept\n"), time.GetUtcNow());
            await Poll.Until(() => said.Count == 2, "writing resumed");
            Assert.Contains("again; 5 lines are missing", said.Last());
        }
        Assert.Equal(["kept"], Texts(logs, "web.1"));
    }
}
