using Drover.Core.Output;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Drover.Core.Logs;

// The writer thread: everything here runs on it alone.
public sealed partial class LogFiles
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    private readonly LogBudget _budget;
    private readonly Dictionary<string, OpenLog> _open = new(StringComparer.Ordinal);
    private byte[] _scratch = new byte[128 * 1024];
    private bool _scanned;
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
                rotated.TrySetException(new IOException($"log files: cannot rotate in {Directory}: {e.Message}", e));
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
                WriteTo(item.Name, block, lines, today);
            }
            WriteTo(LogFileName.Combined, block, lines, today);
            if (_failing)
            {
                FlushAll();
                _failing = false;
                _report($"log files: writing to {Directory} again; {_lostSinceFailure} lines are missing from the files");
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
                _report($"log files: cannot write to {Directory}: {e.Message}; output continues here, and the files miss lines until writing works again (retried every second)");
            }
        }
    }

    private void Lost(long lines)
    {
        Interlocked.Add(ref _linesLost, lines);
        _lostSinceFailure += lines;
    }

    private void WriteTo(string log, ReadOnlySpan<byte> block, int lines, DateOnly today)
    {
        var open = Get(log, today);
        if (Rotation.Due(open.Length, block.Length, open.OpenedOn, today))
        {
            Rotate(log, compress: true);
        }
        MakeRoom(block.Length);
        // Again: rotating or making room may have closed it.
        open = Get(log, today);
        open.Append(block, lines);
        _budget.Set(open.Name, open.Length);
    }

    private OpenLog Get(string log, DateOnly today)
    {
        if (!_open.TryGetValue(log, out var open))
        {
            open = OpenLog.Open(Directory, LogFileName.Active(log), today, log == LogFileName.Combined);
            _open[log] = open;
            _budget.Set(open.Name, open.Length);
        }
        return open;
    }

    /// <summary>Deletes the oldest rotated files until <paramref name="incoming"/> bytes fit; rotates out an active log when nothing rotated is left.</summary>
    private void MakeRoom(long incoming)
    {
        while (true)
        {
            bool fits = _budget.TryMakeRoom(incoming, out var victims);
            foreach (var victim in victims)
            {
                Delete(victim);
            }
            if (fits || _budget.LargestActive() is not { } largest)
            {
                return;
            }
            // The bound wins over the newest lines of the largest log: they become its oldest rotated file, deleted next.
            Rotate(largest.Log, compress: false);
        }
    }

    private List<string> RotateAll()
    {
        var rotated = new List<string>();
        foreach (string log in _budget.ActiveLogs())
        {
            if (Rotate(log, compress: true) is { } name)
            {
                rotated.Add(name.FileName);
            }
        }
        return rotated;
    }

    private LogFileName? Rotate(string log, bool compress)
    {
        var active = LogFileName.Active(log);
        long size = _budget.SizeOf(active);
        if (_open.Remove(log, out var open))
        {
            open.Dispose();
            size = open.Durable;
        }
        if (size == 0)
        {
            return null;
        }
        var rotated = new LogFileName(log, _budget.NextSequence(), false);
        File.Move(PathOf(active), PathOf(rotated));
        _budget.Remove(active);
        _budget.Set(rotated, size);
        if (compress && Rotation.Gzip)
        {
            rotated = Compress(rotated);
        }
        foreach (var old in _budget.BeyondKeep(log))
        {
            Delete(old);
        }
        return rotated;
    }

    /// <summary>Gzips a rotated file; every compressed byte is counted against the bound as it is written. Keeps the plain file when there is no room.</summary>
    private LogFileName Compress(LogFileName plain)
    {
        var gz = plain with { Gzip = true };
        string part = PathOf(gz) + ".part";
        try
        {
            using (var source = new FileStream(PathOf(plain), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024))
            using (var target = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var counted = new BudgetedStream(target, n =>
            {
                if (!_budget.TryMakeRoom(n, out var victims, spare: plain.Sequence))
                {
                    throw new IOException("no room left within the log directory's bound to compress");
                }
                foreach (var victim in victims)
                {
                    Delete(victim);
                }
                _budget.Set(gz, _budget.SizeOf(gz) + n);
            }))
            using (var zip = new GZipStream(counted, CompressionLevel.Fastest))
            {
                source.CopyTo(zip);
            }
            File.Move(part, PathOf(gz));
            Delete(plain);
            return gz;
        }
        catch (IOException)
        {
            // Kept as it is, uncompressed; still within the bound.
            File.Delete(part);
            _budget.Remove(gz);
            return plain;
        }
    }

    private void Delete(LogFileName name)
    {
        File.Delete(PathOf(name));
        _budget.Remove(name);
    }

    private void EnsureScanned()
    {
        if (_scanned)
        {
            return;
        }
        System.IO.Directory.CreateDirectory(Directory);
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory))
        {
            string file = Path.GetFileName(path);
            if (file.EndsWith(".gz.part", StringComparison.Ordinal))
            {
                File.Delete(path); // a compression cut short by a crash; the plain file is still there
            }
            else if (LogFileName.TryParse(file, out var name))
            {
                _budget.Set(name, new FileInfo(path).Length);
            }
        }
        _scanned = true;
        foreach (string log in _budget.RotatedLogs())
        {
            foreach (var old in _budget.BeyondKeep(log))
            {
                Delete(old);
            }
        }
        MakeRoom(0);
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
        foreach (var open in _open.Values)
        {
            open.Flush();
            _budget.Set(open.Name, open.Length);
        }
    }

    private void CloseQuietly()
    {
        foreach (var open in _open.Values)
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
            _budget.Set(open.Name, open.Durable);
        }
        _open.Clear();
        // Counted afresh on the next try: the directory may have changed meanwhile.
        _budget.Clear();
        _scanned = false;
    }

    private void CloseAll()
    {
        foreach (var open in _open.Values)
        {
            try
            {
                open.Dispose();
            }
            catch (IOException e)
            {
                _report($"log files: could not write the last lines to {PathOf(open.Name)}: {e.Message}");
            }
        }
        _open.Clear();
    }

    private DateOnly LocalDate(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, _time.LocalTimeZone).DateTime);

    private string PathOf(LogFileName name) => Path.Combine(Directory, name.FileName);
}
