using System.Runtime.InteropServices;
using Drover.Core.Output;
using Drover.Core.Terminals;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// A process's pseudo-terminal master as Drover holds it: the output pump reads it (through <see cref="Tap"/>),
/// attached clients write their input into it, and SIGWINCH resizes it. The descriptor is closed when the output
/// ends, under the same lock as every write, so an input never goes to a number the kernel has given to another file.
/// </summary>
internal sealed class PtyTerminal : IProcessTerminal
{
    private readonly object _gate = new();
    private readonly int _master;
    private bool _closed;

    public PtyTerminal(string name, int master, IOutputSink output, Action<PtyTerminal> ended)
    {
        Name = name;
        _master = master;
        Tap = new TerminalTap(output, () =>
        {
            lock (_gate)
            {
                _closed = true;
                Libc.close(_master);
            }
            ended(this);
        });
    }

    public string Name { get; }

    /// <summary>What the output pump feeds; it does not close the descriptor itself.</summary>
    public TerminalTap Tap { get; }

    public TerminalAttachment Attach() => Tap.Attach();

    public async ValueTask<bool> WriteInputAsync(ReadOnlyMemory<byte> input, CancellationToken cancel)
    {
        while (!input.IsEmpty)
        {
            var (written, errno) = TryWrite(input.Span);
            if (errno == Libc.EBADF)
            {
                return false;
            }
            if (written > 0)
            {
                input = input[(int)written..];
            }
            else if (errno == Libc.EAGAIN)
            {
                // The terminal's input buffer is full: the process is not reading. Wait for it, the lock released.
                await Task.Delay(10, cancel).ConfigureAwait(false);
            }
            else if (errno != Libc.EINTR)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>One write(2) under the lock; EBADF once the terminal is closed.</summary>
    private unsafe (nint Written, int Errno) TryWrite(ReadOnlySpan<byte> input)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return (-1, Libc.EBADF);
            }
            fixed (byte* p = input)
            {
                nint written = Libc.write(_master, p, input.Length);
                return (written, written < 0 ? Marshal.GetLastPInvokeError() : 0);
            }
        }
    }

    /// <summary>Gives the terminal a new window size (its foreground group gets SIGWINCH).</summary>
    public void Resize(Libc.WinSize size)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                Pty.Resize(_master, size);
            }
        }
    }
}
