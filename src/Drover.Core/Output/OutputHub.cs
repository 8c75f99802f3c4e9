using System.Text;
using System.Threading.Channels;

namespace Drover.Core.Output;

/// <summary>
/// The single writer of Drover's output stream. Every process's lines and Drover's own messages go through one
/// channel to one thread, so lines never interleave. Memory is bounded by cooperative back-pressure: past
/// <see cref="HighWater"/> queued bytes, readers pause their pipes and children block on write.
/// A failing output stream (a closed pipe) is dropped, never fatal.
/// </summary>
/// <remarks>
/// The parts, one file each: <see cref="BackPressure"/> (queued bytes, pause and resume), <see cref="OutputHold"/>
/// (bursts handed over at once), <see cref="ChunkRenderer"/> (prefixes, long-line pieces), <see cref="BlockWriter"/>
/// (64 KiB writes, a broken stream dropped); this class is the channel and the thread between them.
/// </remarks>
public sealed class OutputHub : IAsyncDisposable
{
    /// <summary>Queued bytes above which producers are asked to pause.</summary>
    public const long HighWater = 4 * 1024 * 1024;

    // Synchronous continuations: the writer's only continuation is setting _readable, so a producer wakes the writer
    // itself. Asynchronous ones went through a thread-pool worker first, two thread wake-ups per chunk under a flood.
    private readonly Channel<OutputChunk> _channel = Channel.CreateUnbounded<OutputChunk>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly BackPressure _pressure = new();
    private readonly OutputHold _hold;
    private readonly Thread _writer;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Owned by the writer thread.
    private readonly BlockWriter _output;
    private readonly ChunkRenderer _renderer;
    private readonly ManualResetEventSlim _readable = new(false, spinCount: 0);
    private readonly Action _setReadable;
    private readonly PartialLineLog _partialLog = new();

    private readonly LogBook? _log;
    private readonly TimeProvider _time;
    // Set once, before any output (the log files); read by the writer thread.
    private volatile IOutputTap? _tap;

    /// <summary>Starts the writer thread over <paramref name="output"/>; what it writes is also kept in <paramref name="log"/>.</summary>
    public OutputHub(Stream output, PrefixFormatter formatter, LogBook? log = null, TimeProvider? time = null)
    {
        _output = new BlockWriter(output);
        _renderer = new ChunkRenderer(formatter, _output);
        _hold = new OutputHold(Write);
        _log = log;
        _time = time ?? TimeProvider.System;
        _setReadable = _readable.Set;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "drover-writer" };
        _writer.Start();
    }

    /// <summary>Hands a copy of everything written from now on to <paramref name="tap"/> (the log files), which may hold the writer only within the back-pressure window.</summary>
    public void Tap(IOutputTap tap) => _tap = tap;

    /// <summary>
    /// Whether an unfinished line (a prompt) is shown after <see cref="LineFramer.PartialLineDelay"/> rather than
    /// with its newline. On for a terminal, where it can be erased and drawn again below other lines; off for a
    /// pipe or file, whose readers get whole lines only.
    /// </summary>
    public bool ShowsPartialLines { get; init; }

    /// <summary>The clock of prefixes and of the partial-line delay.</summary>
    internal TimeProvider Time => _time;

    /// <summary>True while producers may keep going.</summary>
    public bool HasRoom => _pressure.HasRoom;

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
    public void SetNameWidth(int width) => _renderer.SetNameWidth(width);

    /// <summary>Completes when queued output has drained below the low-water mark.</summary>
    public Task WhenHasRoom() => _pressure.WhenHasRoom();

    /// <summary>
    /// Keeps everything written from now on (in order) until the result is disposed, then hands it to the writer
    /// at once: a burst of lines (e.g. 100 "started" lines) then wakes the writer once instead of once per line.
    /// Used only for bursts that end promptly; back-pressure still counts the held bytes.
    /// </summary>
    public IDisposable Hold() => _hold.Open();

    internal void Enqueue(OutputChunk chunk)
    {
        _pressure.Added(chunk.Length);
        _hold.Add(chunk);
    }

    private void Write(OutputChunk chunk)
    {
        if (!_channel.Writer.TryWrite(chunk))
        {
            // After completion: nobody will write it.
            _pressure.Removed(chunk.Length);
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
                    _renderer.Render(chunk);
                    // The log and the log files keep whole lines: a partial line waits here for its rest.
                    if ((_log is not null || _tap is not null) && _partialLog.WholeLines(chunk) is { Length: > 0 } whole)
                    {
                        var now = _time.GetUtcNow();
                        _log?.Append(chunk.Source, whole, now);
                        _tap?.Append(chunk.Source, whole, now);
                    }
                    _pressure.Removed(chunk.Length);
                    chunk.Return();
                }
                _output.Flush();
            }
        }
        finally
        {
            _renderer.Finish();
            _output.Flush();
            _log?.CompleteFollowers();
            _pressure.ReleaseWaiter();
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
}
