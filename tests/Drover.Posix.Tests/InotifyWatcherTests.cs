using System.Collections.Concurrent;
using Drover.Core.Watch;

namespace Drover.Posix.Tests;

/// <summary>The inotify watcher on real directories and files.</summary>
public sealed class InotifyWatcherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("drover-inotify-").FullName;
    private readonly Sink _sink = new();
    private readonly InotifyWatcher _watcher = new();

    public void Dispose()
    {
        _watcher.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Make(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    private async Task StartAsync(Func<string, bool>? descend = null)
    {
        _watcher.Start([_root], descend ?? (_ => true), _sink);
        await Eventually.Until(() => _sink.ReadyWith is not null);
    }

    [Fact]
    public async Task A_write_anywhere_below_the_root_is_reported_with_its_path()
    {
        Make("src/models");
        await StartAsync();

        string file = Path.Combine(_root, "src/models/user.rb");
        await File.WriteAllTextAsync(file, "class User; end");

        await Eventually.Until(() => _sink.Changes.Contains(file));
        Assert.Equal(3, _sink.ReadyWith);
    }

    [Fact]
    public async Task A_directory_it_is_told_to_skip_gets_no_watch_and_nothing_below_it_is_reported()
    {
        Make("node_modules/a/b/c");
        Make("node_modules/d");
        Make("src");
        await StartAsync(dir => Path.GetFileName(dir) != "node_modules");

        Assert.Equal(2, _watcher.WatchCount);
        await File.WriteAllTextAsync(Path.Combine(_root, "node_modules/a/b/c/x.js"), "1");
        string sentinel = Path.Combine(_root, "src/app.rb");
        await File.WriteAllTextAsync(sentinel, "1");

        await Eventually.Until(() => _sink.Changes.Contains(sentinel));
        Assert.DoesNotContain(_sink.Changes, c => c.Contains("node_modules", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_directory_is_watched_and_files_written_in_it_before_its_watch_are_reported_too()
    {
        await StartAsync();

        // Made in one go: its files may exist before the watcher sees the directory.
        string file = Path.Combine(Make("lib/deep/er"), "job.rb");
        await File.WriteAllTextAsync(file, "1");
        await Eventually.Until(() => _sink.Changes.Contains(file));
        await Eventually.Until(() => _watcher.WatchCount == 4);

        string later = Path.Combine(_root, "lib/deep/er/later.rb");
        await File.WriteAllTextAsync(later, "2");
        await Eventually.Until(() => _sink.Changes.Contains(later));
    }

    [Fact]
    public async Task A_folder_moved_within_the_tree_reports_its_files_under_the_new_path()
    {
        Make("old/inner");
        await StartAsync();

        Directory.Move(Path.Combine(_root, "old"), Path.Combine(_root, "new"));
        // One queue: the watcher reads the move before this write.
        await File.WriteAllTextAsync(Path.Combine(_root, "new/inner/x.rb"), "1");

        await Eventually.Until(() => _sink.Changes.Any(c => c.EndsWith("/x.rb", StringComparison.Ordinal)));
        Assert.Equal([Path.Combine(_root, "new/inner/x.rb")], _sink.Changes.Where(c => c.EndsWith("/x.rb", StringComparison.Ordinal)).Distinct());
        Assert.Equal(3, _watcher.WatchCount);
    }

    [Fact]
    public async Task A_removed_directory_drops_its_watch()
    {
        string gone = Make("tmp/cache");
        await StartAsync();
        Assert.Equal(3, _watcher.WatchCount);

        Directory.Delete(Path.Combine(_root, "tmp"), recursive: true);
        await Eventually.Until(() => _watcher.WatchCount == 1);
        Assert.False(Directory.Exists(gone));
    }

    [Fact]
    public async Task After_dispose_nothing_is_reported()
    {
        await StartAsync();
        _watcher.Dispose();
        int before = _sink.Changes.Count;
        await File.WriteAllTextAsync(Path.Combine(_root, "late.rb"), "1");
        // A sentinel through a second watcher proves the kernel had time to deliver the first write.
        using var second = new InotifyWatcher();
        var other = new Sink();
        second.Start([_root], _ => true, other);
        await Eventually.Until(() => other.ReadyWith is not null);
        string sentinel = Path.Combine(_root, "sentinel.rb");
        await File.WriteAllTextAsync(sentinel, "1");
        await Eventually.Until(() => other.Changes.Contains(sentinel));
        Assert.Equal(before, _sink.Changes.Count);
    }

    private sealed class Sink : IFileChangeSink
    {
        public ConcurrentQueue<string> Changes { get; } = new();

        public ConcurrentQueue<string> Problems { get; } = new();

        public int? ReadyWith { get; private set; }

        public void Changed(string path) => Changes.Enqueue(path);

        public void Overflowed() => Changes.Enqueue("(overflow)");

        public void Problem(string message) => Problems.Enqueue(message);

        public void Ready(int directories) => ReadyWith = directories;
    }
}
