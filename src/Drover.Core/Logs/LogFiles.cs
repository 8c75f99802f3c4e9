using Drover.Core.Output;

namespace Drover.Core.Logs;

/// <summary>
/// Writes the formation's output to a log directory (<c>--log-dir</c>): one file per instance plus
/// <see cref="LogFileName.Combined"/>, which also gets Drover's lifecycle lines. It has its own thread behind a
/// queue bounded in bytes: the output writer hands it a copy of each chunk and goes on. When the queue is full
/// (a disk slower than the output), <see cref="Append"/> waits, which holds the output writer and so pauses the
/// pipes through the usual back-pressure, exactly as a slow terminal does: nothing is dropped and memory stays
/// bounded. A write that fails (a full disk, an unwritable directory) is reported once through the callback; lines
/// are then dropped from the files (never from stdout) and the writer tries again every second, reporting when
/// writing resumes and how many lines the files missed.
/// </summary>
public sealed partial class LogFiles : IAsyncDisposable, IOutputTap
{
    /// <summary>Bytes that may wait for the file writer before <see cref="Append"/> blocks.</summary>
    public const long DefaultQueueBytes = 8 * 1024 * 1024;

    private readonly object _gate = new();
    // Guarded by _gate: added to by the output writer, taken from by the file writer.
    private readonly Queue<Item> _queue = new();
    private long _queuedBytes;
    private bool _completing;

    private readonly long _maxQueued;
    private readonly Action<string> _report;
    private readonly TimeProvider _time;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the file writer for <paramref name="directory"/> (created when missing).</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="rotation">When to rotate and what to keep.</param>
    /// <param name="report">Where problems and recoveries are said (a <c>system</c> line); called on the writer thread.</param>
    /// <param name="time">The clock (daily rotation, the retry interval).</param>
    /// <param name="maxQueued">Bytes that may wait before <see cref="Append"/> blocks.</param>
    public LogFiles(string directory, LogRotation rotation, Action<string> report, TimeProvider? time = null, long maxQueued = DefaultQueueBytes)
        : this(LogLayout.Of(directory), rotation, report, time, maxQueued)
    {
    }

    /// <summary>Starts the file writer for a layout: the log directory (if any) and the types' own files (their folders created when missing).</summary>
    /// <param name="layout">Where the files go.</param>
    /// <param name="rotation">When to rotate and what to keep (the bound applies to each folder written to).</param>
    /// <param name="report">Where problems and recoveries are said (a <c>system</c> line); called on the writer thread.</param>
    /// <param name="time">The clock (daily rotation, the retry interval).</param>
    /// <param name="maxQueued">Bytes that may wait before <see cref="Append"/> blocks.</param>
    public LogFiles(LogLayout layout, LogRotation rotation, Action<string> report, TimeProvider? time = null, long maxQueued = DefaultQueueBytes)
    {
        Layout = layout;
        Directory = layout.Directory;
        Rotation = rotation;
        _report = report;
        _time = time ?? TimeProvider.System;
        _maxQueued = maxQueued;
        if (layout.Directory is not null)
        {
            _main = new Folder(layout.Directory, rotation, null);
            _folders.Add(_main);
        }
        foreach (var (type, file) in layout.TypeFiles)
        {
            var (dir, log) = LogLayout.Split(file);
            var folder = _folders.Find(f => f.Directory == dir);
            if (folder is null)
            {
                folder = new Folder(dir, rotation, new HashSet<string>(StringComparer.Ordinal));
                _folders.Add(folder);
            }
            folder.Owned?.Add(log);
            _typeLogs[type] = (folder, log);
        }
        Where = string.Join(", ", (layout.Directory is null ? [] : new[] { layout.Directory }).Concat(layout.TypeFiles.Values.Order(StringComparer.Ordinal)));
        _thread = new Thread(Run) { IsBackground = true, Name = "drover-logfiles" };
        _thread.Start();
    }

    /// <summary>The log directory (absolute); null when only types' own files are written.</summary>
    public string? Directory { get; }

    /// <summary>Where the files go.</summary>
    public LogLayout Layout { get; }

    // The folders written to: the log directory first, then those of the types' own files.
    private readonly List<Folder> _folders = [];
    private readonly Folder? _main;
    private readonly Dictionary<string, (Folder Folder, string Log)> _typeLogs = new(StringComparer.Ordinal);

    /// <summary>The log directory and the types' files, for messages.</summary>
    private string Where { get; }

    /// <summary>The rotation settings.</summary>
    public LogRotation Rotation { get; }

    /// <summary>Lines that could not be written to the files (full disk, unwritable directory) so far.</summary>
    public long LinesLost => Interlocked.Read(ref _linesLost);

    /// <summary>
    /// Queues whole lines (each ending in '\n') of <paramref name="source"/>: to its own file and the combined one,
    /// or for <see cref="OutputSource.System"/> (Drover's lifecycle lines) to the combined file only. Waits while the
    /// queue is full.
    /// </summary>
    public void Append(OutputSource source, ReadOnlySpan<byte> lines, DateTimeOffset time)
    {
        if (lines.IsEmpty)
        {
            return;
        }
        byte[] copy = ChunkPool.Rent(lines.Length);
        lines.CopyTo(copy);
        Enqueue(new Item(source == OutputSource.System ? null : source.Name, copy, lines.Length, time, null));
    }

    /// <summary>
    /// A lifecycle line (started, exited, restarting, probes) for the combined file. Today these arrive as
    /// <c>system</c> output through <see cref="Append"/>; this is the seam a subscriber to the supervisor's typed
    /// events will call instead.
    /// </summary>
    public void Lifecycle(string text, DateTimeOffset time) =>
        Append(OutputSource.System, System.Text.Encoding.UTF8.GetBytes(text + "\n"), time);

    /// <summary>Rotates every non-empty log now, after the lines already queued; returns the rotated files' names.</summary>
    public Task<IReadOnlyList<string>> RotateAsync()
    {
        var done = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Item(null, [], 0, _time.GetUtcNow(), done));
        return done.Task;
    }

    private void Enqueue(Item item)
    {
        lock (_gate)
        {
            if (_completing)
            {
                item.Release();
                item.Rotated?.TrySetException(new ObjectDisposedException(nameof(LogFiles)));
                return;
            }
            // Wait for room, but always take one item into an empty queue, however big.
            while (_queuedBytes > 0 && _queuedBytes + item.Length > _maxQueued && !_completing)
            {
                Monitor.Wait(_gate);
            }
            _queue.Enqueue(item);
            _queuedBytes += item.Length;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Writes what is queued, closes the files and stops the thread.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _completing = true;
            Monitor.PulseAll(_gate);
        }
        await _done.Task.ConfigureAwait(false);
    }

    private readonly record struct Item(string? Name, byte[] Buffer, int Length, DateTimeOffset Time, TaskCompletionSource<IReadOnlyList<string>>? Rotated)
    {
        public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

        public void Release()
        {
            if (Buffer.Length > 0)
            {
                ChunkPool.Return(Buffer);
            }
        }
    }
}
