using System.Text;
using System.Threading.Channels;

namespace Drover.Core.Output;

/// <summary>
/// The single writer of Drover's output stream. Every process's lines and Drover's own messages go through one
/// channel to one thread, so lines never interleave. Memory is bounded by cooperative back-pressure: past
/// <see cref="HighWater"/> queued bytes, readers pause their pipes and children block on write.
/// A failing output stream (a closed pipe) is dropped, never fatal.
/// </summary>
public sealed class OutputHub : IAsyncDisposable
{
    /// <summary>Queued bytes above which producers are asked to pause.</summary>
    public const long HighWater = 4 * 1024 * 1024;
    private const long LowWater = HighWater / 2;
    private const int WriteBufferSize = 64 * 1024;

    private readonly Channel<OutputChunk> _channel = Channel.CreateUnbounded<OutputChunk>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Stream _output;
    private readonly PrefixFormatter _formatter;
    private readonly Thread _writer;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _roomGate = new();

    // Producers add, the writer subtracts.
    private long _queuedBytes;
    // Set by any thread, consumed by the writer; 0 means no change pending.
    private int _pendingWidth;
    // Guarded by _roomGate.
    private TaskCompletionSource? _roomWaiter;

    // Guarded by _holdGate; _holding is read without it first, so output pays for the gate only while held.
    private readonly object _holdGate = new();
    private List<OutputChunk>? _held;
    private int _holds;
    private volatile bool _holding;

    // Owned by the writer thread.
    private readonly byte[] _buffer = new byte[WriteBufferSize];
    private readonly ManualResetEventSlim _readable = new(false, spinCount: 0);
    private readonly Action _setReadable;
    private int _buffered;
    private bool _broken;
    // The source whose partial line is on screen without its newline yet; null when every line is finished.
    private OutputSource? _openLine;
    // What that partial line shows after its prefix, to draw it again below another source's lines.
    private readonly List<byte> _openText = [];
    private readonly PartialLineLog _partialLog = new();

    private readonly LogBook? _log;
    private readonly TimeProvider _time;

    /// <summary>Starts the writer thread over <paramref name="output"/>; what it writes is also kept in <paramref name="log"/>.</summary>
    public OutputHub(Stream output, PrefixFormatter formatter, LogBook? log = null, TimeProvider? time = null)
    {
        _output = output;
        _formatter = formatter;
        _log = log;
        _time = time ?? TimeProvider.System;
        _setReadable = _readable.Set;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "drover-writer" };
        _writer.Start();
    }

    /// <summary>
    /// Whether an unfinished line (a prompt) is shown after <see cref="LineFramer.PartialLineDelay"/> rather than
    /// with its newline. On for a terminal, where it can be erased and drawn again below other lines; off for a
    /// pipe or file, whose readers get whole lines only.
    /// </summary>
    public bool ShowsPartialLines { get; init; }

    /// <summary>The clock of prefixes and of the partial-line delay.</summary>
    internal TimeProvider Time => _time;

    /// <summary>True while producers may keep going.</summary>
    public bool HasRoom => Volatile.Read(ref _queuedBytes) < HighWater;

    /// <summary>Writes one line from Drover itself under <c>system</c>.</summary>
    public void System(string message) => Line(OutputSource.System, message);

    /// <summary>Writes one whole line (a newline is added) under <paramref name="source"/>.</summary>
    public void Line(OutputSource source, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        byte[] buffer = ChunkPool.Rent(max);
        int n = Encoding.UTF8.GetBytes(text, buffer);
        buffer[n] = (byte)'\n';
        Enqueue(new OutputChunk(source, buffer, n + 1));
    }

    /// <summary>Changes the width names are padded to (e.g. after scaling up to web.10), from the next line on.</summary>
    public void SetNameWidth(int width) => Volatile.Write(ref _pendingWidth, width);

    /// <summary>Completes when queued output has drained below the low-water mark.</summary>
    public Task WhenHasRoom()
    {
        lock (_roomGate)
        {
            if (Volatile.Read(ref _queuedBytes) < LowWater)
            {
                return Task.CompletedTask;
            }
            _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = _roomWaiter;
            // The writer may have drained everything between our check and publishing the waiter, and then seen
            // no waiter to release: check again now that it is visible.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _queuedBytes) < LowWater)
            {
                _roomWaiter = null;
                waiter.TrySetResult();
            }
            return waiter.Task;
        }
    }

    /// <summary>
    /// Keeps everything written from now on (in order) until the result is disposed, then hands it to the writer
    /// at once: a burst of lines (e.g. 100 "started" lines) then wakes the writer once instead of once per line.
    /// Used only for bursts that end promptly; back-pressure still counts the held bytes.
    /// </summary>
    public IDisposable Hold()
    {
        lock (_holdGate)
        {
            _held ??= [];
            _holds++;
            _holding = true;
        }
        return new HoldRelease(this);
    }

    private void Release()
    {
        lock (_holdGate)
        {
            if (--_holds > 0 || _held is null)
            {
                return;
            }
            // Under the gate, so a producer that saw _holding and waits for the gate writes after these.
            foreach (var chunk in _held)
            {
                Write(chunk);
            }
            _held = null;
            _holding = false;
        }
    }

    internal void Enqueue(OutputChunk chunk)
    {
        Interlocked.Add(ref _queuedBytes, chunk.Length);
        if (_holding)
        {
            lock (_holdGate)
            {
                if (_held is not null)
                {
                    _held.Add(chunk);
                    return;
                }
            }
        }
        Write(chunk);
    }

    private void Write(OutputChunk chunk)
    {
        if (!_channel.Writer.TryWrite(chunk))
        {
            // After completion: nobody will write it.
            Interlocked.Add(ref _queuedBytes, -chunk.Length);
            chunk.Return();
        }
    }

    /// <summary>Stops accepting output and waits until everything queued has been written.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _done.Task.ConfigureAwait(false);
    }

    private void WriteLoop()
    {
        var reader = _channel.Reader;
        try
        {
            while (WaitToRead(reader))
            {
                while (reader.TryRead(out var chunk))
                {
                    WriteChunk(chunk);
                    long left = Interlocked.Add(ref _queuedBytes, -chunk.Length);
                    chunk.Return();
                    if (left < LowWater && Volatile.Read(ref _roomWaiter) is not null)
                    {
                        ReleaseWaiter();
                    }
                }
                Flush();
            }
        }
        finally
        {
            if (_openLine is not null)
            {
                Append("\n"u8);
            }
            Flush();
            _log?.CompleteFollowers();
            ReleaseWaiter();
            _done.TrySetResult();
        }
    }

    /// <summary>
    /// Blocks until the channel has data or is complete, without spinning first (as waiting on a task does): a
    /// spinning writer takes a core from the processes being started, and there may be only two.
    /// </summary>
    private bool WaitToRead(ChannelReader<OutputChunk> reader) => Block(reader.WaitToReadAsync());

    private bool Block(ValueTask<bool> wait)
    {
        var pending = wait.GetAwaiter();
        if (!pending.IsCompleted)
        {
            _readable.Reset();
            pending.UnsafeOnCompleted(_setReadable);
            _readable.Wait();
        }
        return pending.GetResult();
    }

    private void ReleaseWaiter()
    {
        TaskCompletionSource? waiter;
        lock (_roomGate)
        {
            waiter = _roomWaiter;
            _roomWaiter = null;
        }
        waiter?.TrySetResult();
    }

    private void WriteChunk(OutputChunk chunk)
    {
        int width = Volatile.Read(ref _pendingWidth);
        if (width != 0)
        {
            _formatter.NameWidth = width;
            Volatile.Write(ref _pendingWidth, 0);
        }
        ReadOnlySpan<byte> rest = chunk.Span;
        byte[] prefix = _formatter.Prefix(chunk.Source);
        // A partial line on screen is continued by its own source's next chunk. Whole lines of another source go
        // above it: it is erased, they are written, and it is drawn again under them, so no line is cut. Another
        // partial line finishes it instead (only one line can be last on screen); its rest gets a prefix of its own.
        bool continues = chunk.StartsMidLine && ReferenceEquals(_openLine, chunk.Source);
        OutputSource? redraw = null;
        if (_openLine is not null && !continues)
        {
            if (!chunk.EndsMidLine && !ReferenceEquals(_openLine, chunk.Source))
            {
                Append("\r\u001b[K"u8);
                redraw = _openLine;
            }
            else
            {
                Append("\n"u8);
                _openText.Clear();
            }
            _openLine = null;
        }
        if (chunk.StartsMidLine && !continues && rest[0] == '\n')
        {
            rest = rest[1..]; // the end of a line that was finished already
        }
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                // A partial line: shown now, left open for the rest.
                if (!continues)
                {
                    Append(prefix);
                    _openText.Clear();
                }
                Append(rest);
                _openText.AddRange(rest[..Math.Min(rest.Length, LineFramer.MaxLine - Math.Min(_openText.Count, LineFramer.MaxLine))]);
                _openLine = chunk.Source;
                break;
            }
            if (continues)
            {
                Append(rest[..(end + 1)]);
                rest = rest[(end + 1)..];
                continues = false;
                _openLine = null;
                _openText.Clear();
                continue;
            }
            var line = rest[..end];
            // Lines longer than MaxLine go out in pieces, each with its own prefix.
            while (line.Length > LineFramer.MaxLine)
            {
                Append(prefix);
                Append(line[..LineFramer.MaxLine]);
                Append("\n"u8);
                line = line[LineFramer.MaxLine..];
            }
            Append(prefix);
            Append(rest[..(end + 1)][^(line.Length + 1)..]);
            rest = rest[(end + 1)..];
        }
        if (redraw is not null)
        {
            Append(_formatter.Prefix(redraw));
            Append(global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_openText));
            _openLine = redraw;
        }
        if (_log is not null && _partialLog.WholeLines(chunk) is { Length: > 0 } whole)
        {
            _log.Append(chunk.Source, whole, _time.GetUtcNow());
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_buffered == _buffer.Length)
            {
                Flush();
            }
            int take = Math.Min(bytes.Length, _buffer.Length - _buffered);
            bytes[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            bytes = bytes[take..];
        }
    }

    private void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }
        if (!_broken)
        {
            try
            {
                _output.Write(_buffer, 0, _buffered);
                _output.Flush();
            }
            catch (Exception)
            {
                // The reader of our stdout went away (e.g. `drover start | head`), or the stream failed in another
                // way: keep supervising, stop writing. A failing output is never fatal.
                _broken = true;
            }
        }
        _buffered = 0;
    }

    private sealed class HoldRelease(OutputHub hub) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                hub.Release();
            }
        }
    }
}
