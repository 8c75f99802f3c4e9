using System.Collections.Concurrent;
using Drover.Core.Output;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// One thread that reads every child's output pipe with poll(2). A thread per child would cost memory per
/// process, and .NET's pipe streams block thread-pool threads on Unix. All state below is owned by the pump
/// thread; other threads talk to it only through <see cref="_commands"/> and the wake-up eventfd.
/// </summary>
internal sealed unsafe class OutputPump : IDisposable
{
    private const int ReadSize = 64 * 1024;

    // Owned by the pump thread.
    private readonly List<Source> _sources = [];
    private readonly byte[] _buffer = new byte[ReadSize];

    // Shared: any thread enqueues, the pump thread drains after a wake-up.
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private volatile bool _disposed;
    private int _holds;

    public OutputPump()
    {
        _wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            throw PosixException.Last("eventfd");
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "drover-output" };
        _thread.Start();
    }

    /// <summary>
    /// Starts reading <paramref name="fd"/> into <paramref name="sink"/>. The pump closes it at EOF unless
    /// <paramref name="sinkCloses"/>: then the sink's <see cref="IOutputSink.Complete"/> must (a terminal's master,
    /// which others write into).
    /// </summary>
    public Source Add(int fd, IOutputSink sink, bool sinkCloses = false)
    {
        var source = new Source(fd, sink) { SinkCloses = sinkCloses };
        Post(() => _sources.Add(source));
        return source;
    }

    /// <summary>
    /// Reads whatever <paramref name="source"/> still holds in its pipe right now, then calls <paramref name="then"/>.
    /// Used when the writer has exited, so its last lines come out before the news of its exit. The pipe's capacity
    /// bounds what this reads even while the sink asks for a pause.
    /// </summary>
    public void DrainThen(Source source, Action then) => Post(() =>
    {
        if (!source.Closed)
        {
            ReadAvailable(source, ignorePause: true);
        }
        then();
    });

    /// <summary>
    /// Defers every command posted from now on (new pipes, drains) until the result is disposed, then wakes the
    /// pump once: starting 100 processes then costs one wake-up of this thread, not 100.
    /// </summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _holds);
        return new HoldRelease(this);
    }

    private void Post(Action command)
    {
        _commands.Enqueue(command);
        // A release after this read wakes the pump itself, so the command is never stranded.
        if (Volatile.Read(ref _holds) == 0)
        {
            Wake();
        }
    }

    private void Wake()
    {
        ulong one = 1;
        Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
    }

    private void Run()
    {
        var fds = new Libc.PollFd[16];
        var polled = new List<Source>();
        while (!_disposed)
        {
            polled.Clear();
            foreach (var s in _sources)
            {
                if (!s.Paused)
                {
                    polled.Add(s);
                }
            }
            if (fds.Length < polled.Count + 1)
            {
                fds = new Libc.PollFd[(polled.Count + 1) * 2];
            }
            fds[0] = new Libc.PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
            for (int i = 0; i < polled.Count; i++)
            {
                fds[i + 1] = new Libc.PollFd { Fd = polled[i].Fd, Events = Libc.POLLIN };
            }

            int n;
            fixed (Libc.PollFd* p = fds)
            {
                n = Libc.poll(p, (nuint)(polled.Count + 1), -1);
            }
            if (n < 0)
            {
                continue; // EINTR: just poll again.
            }

            for (int i = 0; i < polled.Count; i++)
            {
                if (fds[i + 1].Revents != 0 && !polled[i].Closed)
                {
                    ReadAvailable(polled[i], ignorePause: false);
                }
            }
            if (fds[0].Revents != 0)
            {
                ulong count;
                Libc.read(_wakeFd, (byte*)&count, sizeof(ulong));
                while (_commands.TryDequeue(out var command))
                {
                    command();
                }
            }
            _sources.RemoveAll(s => s.Closed);
        }
    }

    /// <summary>
    /// Reads until the pipe is empty, at EOF, or (unless draining) the sink asks to pause. Reads are gathered into
    /// the buffer and handed over when it is full or the pipe is empty: a terminal gives at most 4 KiB per read, and
    /// one chunk per read cost twice the CPU of a pipe under a flood.
    /// </summary>
    private void ReadAvailable(Source source, bool ignorePause)
    {
        fixed (byte* buf = _buffer)
        {
            int filled = 0;
            while (true)
            {
                nint r = Libc.read(source.Fd, buf + filled, ReadSize - filled);
                if (r > 0)
                {
                    filled += (int)r;
                    if (filled < ReadSize)
                    {
                        continue;
                    }
                    filled = 0;
                    if (!Deliver(source, new ReadOnlySpan<byte>(buf, ReadSize), ignorePause))
                    {
                        return;
                    }
                    continue;
                }
                if (r < 0)
                {
                    int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                    {
                        continue;
                    }
                    if (errno == Libc.EAGAIN)
                    {
                        if (filled > 0)
                        {
                            Deliver(source, new ReadOnlySpan<byte>(buf, filled), ignorePause);
                        }
                        return;
                    }
                }
                if (filled > 0)
                {
                    source.Sink.Write(new ReadOnlySpan<byte>(buf, filled));
                }
                // EOF (every writer closed the pipe), EIO (a terminal whose last holder closed it) or another read
                // error: this source is finished.
                if (!source.SinkCloses)
                {
                    Libc.close(source.Fd);
                }
                source.Closed = true;
                source.Sink.Complete();
                return;
            }
        }
    }

    /// <summary>Hands <paramref name="data"/> to the sink; false when it asked to pause (and the source is paused).</summary>
    private bool Deliver(Source source, ReadOnlySpan<byte> data, bool ignorePause)
    {
        bool more = source.Sink.Write(data);
        if (!more && !ignorePause)
        {
            Pause(source);
            return false;
        }
        return true;
    }

    private void Pause(Source source)
    {
        source.Paused = true;
        source.Sink.WhenWritable().ContinueWith(
            _ => Post(() => source.Paused = false),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public void Dispose()
    {
        _disposed = true;
        Wake();
    }

    private sealed class HoldRelease(OutputPump pump) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0 && Interlocked.Decrement(ref pump._holds) == 0)
            {
                pump.Wake();
            }
        }
    }

    /// <summary>One pipe being read. Fields are touched only on the pump thread.</summary>
    internal sealed class Source(int fd, IOutputSink sink)
    {
        public int Fd { get; } = fd;
        public IOutputSink Sink { get; } = sink;
        public bool Paused { get; set; }
        public bool Closed { get; set; }
        public bool SinkCloses { get; init; }
    }
}
