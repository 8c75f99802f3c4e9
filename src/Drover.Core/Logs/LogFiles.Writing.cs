using Drover.Core.Output;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Drover.Core.Logs;

// The writer thread: everything here runs on it alone.
public sealed partial class LogFiles
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    private byte[] _scratch = new byte[128 * 1024];
    private bool _failing;
    private DateTimeOffset _retryAt;
    private long _lostSinceFailure;
    // Written by the writer thread, read by anyone.
    private long _linesLost;

    private void Run()
    {
        try
        {
            while (true)
            {
                Item item;
                bool more;
                lock (_gate)
                {
                    while (_queue.Count == 0 && !_completing)
                    {
                        Monitor.Wait(_gate);
                    }
                    if (!_queue.TryDequeue(out item))
                    {
                        break;
                    }
                    more = _queue.Count > 0;
                }
                Process(item);
                item.Release();
                if (!more)
                {
                    // Nothing else waiting: put what is buffered on disk, so readers of the files see it now.
                    Guarded(0, FlushAll);
                }
                lock (_gate)
                {
                    _queuedBytes -= item.Length;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        finally
        {
            CloseAll();
            _done.TrySetResult();
        }
    }

    private void Process(Item item)
    {
        if (item.Rotated is { } rotated)
        {
            try
            {
                EnsureScanned();
                rotated.TrySetResult(RotateAll());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                rotated.TrySetException(new IOException($"log files: cannot rotate in {Where}: {e.Message}", e));
            }
            return;
        }
        int lines = item.Span.Count((byte)'\n');
        if (_failing && _time.GetUtcNow() < _retryAt)
        {
            Lost(lines);
            return;
        }
        Guarded(lines, () =>
        {
            EnsureScanned();
            var block = Format(item);
            var today = LocalDate(item.Time);
            if (item.Name is not null)
            {
                if (_main is not null)
                {
                    WriteTo(_main, item.Name, block, lines, today);
                }
                if (TypeLogOf(item.Name) is var (folder, log))
                {
                    WriteTo(folder, log, block, lines, today);
                }
            }
            if (_main is not null)
            {
                WriteTo(_main, LogFileName.Combined, block, lines, today);
            }
            if (_failing)
            {
                FlushAll();
                _failing = false;
                _report($"log files: writing to {Where} again; {_lostSinceFailure} lines are missing from the files");
                _lostSinceFailure = 0;
            }
        });
    }

    /// <summary>Runs a write; a failure is reported once, and counts <paramref name="lines"/> (plus any lost buffer) as lost.</summary>
    private void Guarded(int lines, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (e is LogWriteException w && !w.Combined)
            {
                lines = 0; // the combined file counts every line; count each once
            }
            Lost(lines + (e is LogWriteException { Combined: true } c ? c.Lines : 0));
            CloseQuietly();
            _retryAt = _time.GetUtcNow() + RetryEvery;
            if (!_failing)
            {
                _failing = true;
                _report($"log files: cannot write to {Where}: {e.Message}; output continues here, and the files miss lines until writing works again (retried every second)");
            }
        }
    }

    private void Lost(long lines)
    {
        Interlocked.Add(ref _linesLost, lines);
        _lostSinceFailure += lines;
    }

    private void WriteTo(Folder folder, string log, ReadOnlySpan<byte> block, int lines, DateOnly today)
    {
        var open = Get(folder, log, today);
        if (Rotation.Due(open.Length, block.Length, open.OpenedOn, today))
        {
            Rotate(folder, log, compress: true);
        }
        MakeRoom(folder, block.Length);
        // Again: rotating or making room may have closed it.
        open = Get(folder, log, today);
        open.Append(block, lines);
        folder.Budget.Set(open.Name, open.Length);
    }

    private OpenLog Get(Folder folder, string log, DateOnly today)
    {
        if (!folder.Open.TryGetValue(log, out var open))
        {
            // The combined file counts every line when a write fails; without one, each type's file counts its own.
            bool counts = folder == _main ? log == LogFileName.Combined : _main is null;
            open = OpenLog.Open(folder.Directory, LogFileName.Active(log), today, counts);
            folder.Open[log] = open;
            folder.Budget.Set(open.Name, open.Length);
        }
        return open;
    }

    /// <summary>Deletes the oldest rotated files until <paramref name="incoming"/> bytes fit; rotates out an active log when nothing rotated is left.</summary>
    private void MakeRoom(Folder folder, long incoming)
    {
        while (true)
        {
            bool fits = folder.Budget.TryMakeRoom(incoming, out var victims);
            foreach (var victim in victims)
            {
                Delete(folder, victim);
            }
            if (fits || folder.Budget.LargestActive() is not { } largest)
            {
                return;
            }
            // The bound wins over the newest lines of the largest log: they become its oldest rotated file, deleted next.
            Rotate(folder, largest.Log, compress: false);
        }
    }

    private List<string> RotateAll()
    {
        var rotated = new List<string>();
        foreach (var folder in _folders)
        {
            foreach (string log in folder.Budget.ActiveLogs())
            {
                if (Rotate(folder, log, compress: true) is { } name)
                {
                    rotated.Add(folder == _main ? name.FileName : folder.PathOf(name));
                }
            }
        }
        return rotated;
    }

    private LogFileName? Rotate(Folder folder, string log, bool compress)
    {
        var active = LogFileName.Active(log);
        long size = folder.Budget.SizeOf(active);
        if (folder.Open.Remove(log, out var open))
        {
            open.Dispose();
            size = open.Durable;
        }
        if (size == 0)
        {
            return null;
        }
        var rotated = new LogFileName(log, folder.Budget.NextSequence(), false);
        File.Move(folder.PathOf(active), folder.PathOf(rotated));
        folder.Budget.Remove(active);
        folder.Budget.Set(rotated, size);
        if (compress && Rotation.Gzip)
        {
            rotated = Compress(folder, rotated);
        }
        foreach (var old in folder.Budget.BeyondKeep(log))
        {
            Delete(folder, old);
        }
        return rotated;
    }

    /// <summary>Gzips a rotated file; every compressed byte is counted against the bound as it is written. Keeps the plain file when there is no room.</summary>
    private static LogFileName Compress(Folder folder, LogFileName plain)
    {
        var gz = plain with { Gzip = true };
        string part = folder.PathOf(gz) + ".part";
        var budget = folder.Budget;
        try
        {
            using (var source = new FileStream(folder.PathOf(plain), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024))
            using (var target = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var counted = new BudgetedStream(target, n =>
            {
                if (!budget.TryMakeRoom(n, out var victims, spare: plain.Sequence))
                {
                    throw new IOException("no room left within the log directory's bound to compress");
                }
                foreach (var victim in victims)
                {
                    Delete(folder, victim);
                }
                budget.Set(gz, budget.SizeOf(gz) + n);
            }))
            using (var zip = new GZipStream(counted, CompressionLevel.Fastest))
            {
                source.CopyTo(zip);
            }
            File.Move(part, folder.PathOf(gz));
            Delete(folder, plain);
            return gz;
        }
        catch (IOException)
        {
            // Kept as it is, uncompressed; still within the bound.
            File.Delete(part);
            budget.Remove(gz);
            return plain;
        }
    }

    private static void Delete(Folder folder, LogFileName name)
    {
        File.Delete(folder.PathOf(name));
        folder.Budget.Remove(name);
    }

    private void EnsureScanned()
    {
        foreach (var folder in _folders)
        {
            if (!folder.Scanned)
            {
                Scan(folder);
            }
        }
    }

    private void Scan(Folder folder)
    {
        System.IO.Directory.CreateDirectory(folder.Directory);
        foreach (string path in System.IO.Directory.EnumerateFiles(folder.Directory))
        {
            string file = Path.GetFileName(path);
            if (file.EndsWith(".gz.part", StringComparison.Ordinal))
            {
                if (LogFileName.TryParse(file[..^".part".Length], out var partOf) && folder.Owns(partOf))
                {
                    File.Delete(path); // a compression cut short by a crash; the plain file is still there
                }
            }
            else if (LogFileName.TryParse(file, out var name) && folder.Owns(name))
            {
                folder.Budget.Set(name, new FileInfo(path).Length);
            }
        }
        folder.Scanned = true;
        foreach (string log in folder.Budget.RotatedLogs())
        {
            foreach (var old in folder.Budget.BeyondKeep(log))
            {
                Delete(folder, old);
            }
        }
        MakeRoom(folder, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> Format(Item item)
    {
        byte[] prefix = LogLineFormat.Prefix(item.Time, item.Name ?? OutputSource.System.Name);
        var rest = item.Span;
        int lines = rest.Count((byte)'\n');
        int pieces = lines + (rest.Length / LineFramer.MaxLine) + 1;
        long need = rest.Length + ((long)pieces * (prefix.Length + 1));
        if (need > _scratch.Length)
        {
            _scratch = new byte[need];
        }
        int at = 0;
        void Put(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_scratch.AsSpan(at));
            at += bytes.Length;
        }
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)'\n');
            var line = rest[..end];
            // As on stdout: a line longer than 64 KiB is kept as pieces of 64 KiB, each a line of its own.
            while (line.Length > LineFramer.MaxLine)
            {
                Put(prefix);
                Put(line[..LineFramer.MaxLine]);
                Put("\n"u8);
                line = line[LineFramer.MaxLine..];
            }
            Put(prefix);
            Put(line);
            Put("\n"u8);
            rest = rest[(end + 1)..];
        }
        return _scratch.AsSpan(0, at);
    }

    private void FlushAll()
    {
        foreach (var folder in _folders)
        {
            foreach (var open in folder.Open.Values)
            {
                open.Flush();
                folder.Budget.Set(open.Name, open.Length);
            }
        }
    }

    private void CloseQuietly()
    {
        foreach (var folder in _folders)
        {
            foreach (var open in folder.Open.Values)
            {
                try
                {
                    open.Dispose();
                }
                catch (LogWriteException e) when (e.Combined)
                {
                    Lost(e.Lines);
                }
                catch (IOException)
                {
                    // Counted through the combined file.
                }
                folder.Budget.Set(open.Name, open.Durable);
            }
            folder.Open.Clear();
            // Counted afresh on the next try: the directory may have changed meanwhile.
            folder.Budget.Clear();
            folder.Scanned = false;
        }
    }

    private void CloseAll()
    {
        foreach (var folder in _folders)
        {
            foreach (var open in folder.Open.Values)
            {
                try
                {
                    open.Dispose();
                }
                catch (IOException e)
                {
                    _report($"log files: could not write the last lines to {folder.PathOf(open.Name)}: {e.Message}");
                }
            }
            folder.Open.Clear();
        }
    }

    private DateOnly LocalDate(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, _time.LocalTimeZone).DateTime);

    /// <summary>The folder and log of the type of <paramref name="instance"/> (<c>web.2</c>: <c>web</c>), when it has a file of its own.</summary>
    private (Folder Folder, string Log)? TypeLogOf(string instance)
    {
        if (_typeLogs.Count == 0)
        {
            return null;
        }
        int dot = instance.LastIndexOf('.');
        return _typeLogs.TryGetValue(dot > 0 ? instance[..dot] : instance, out var found) ? found : null;
    }

    /// <summary>
    /// A folder Drover writes logs to, with its bound, its open files and what it holds. The log directory owns
    /// every log file in it; another folder (of a type's <c>log_location</c>) only the logs of the types written
    /// there, so other files in it are never counted, rotated or deleted.
    /// </summary>
    private sealed class Folder(string directory, LogRotation rotation, HashSet<string>? owned)
    {
        public string Directory { get; } = directory;

        public LogBudget Budget { get; } = new(rotation);

        public Dictionary<string, OpenLog> Open { get; } = new(StringComparer.Ordinal);

        public bool Scanned { get; set; }

        /// <summary>Null for the log directory (every log of it); else the logs of the types written here.</summary>
        public HashSet<string>? Owned { get; } = owned;

        public bool Owns(LogFileName name) => Owned is null || Owned.Contains(name.Log);

        public string PathOf(LogFileName name) => Path.Combine(Directory, name.FileName);
    }
}
