using Drover.Posix;
using Microsoft.Win32.SafeHandles;

namespace Drover.Tui.Terminal;

/// <summary>
/// The one reader of the terminal's input: a thread that waits for input with a timeout (so it can stop, and
/// never sits in a read that would take keys meant for someone else), and hands each read either to the UI as keys
/// or, while an attachment has the terminal, to the attachment as raw bytes.
/// </summary>
internal sealed class KeyReader : IDisposable
{
    private const int WaitMs = 200;

    private readonly Action<IReadOnlyList<Key>> _onKeys;
    private readonly Action _onEnd;
    private readonly Thread _thread;
    private volatile bool _stopped;
    private volatile Action<ReadOnlyMemory<byte>>? _diverted;

    /// <summary>Starts reading fd 0; <paramref name="onEnd"/> is called when the terminal's input ends (hangup).</summary>
    public KeyReader(Action<IReadOnlyList<Key>> onKeys, Action onEnd)
    {
        _onKeys = onKeys;
        _onEnd = onEnd;
        _thread = new Thread(Run) { IsBackground = true, Name = "drover-tui-keys" };
        _thread.Start();
    }

    /// <summary>Sends raw input to <paramref name="sink"/> instead of decoding it (null: back to keys).</summary>
    public void Divert(Action<ReadOnlyMemory<byte>>? sink) => _diverted = sink;

    private void Run()
    {
        using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        var buffer = new byte[4096];
        try
        {
            while (!_stopped)
            {
                if (!InputWait.Readable(0, WaitMs))
                {
                    continue;
                }
                int n = stdin.Read(buffer);
                if (n <= 0)
                {
                    _onEnd();
                    return;
                }
                if (_diverted is { } sink)
                {
                    sink(buffer.AsMemory(0, n).ToArray());
                }
                else
                {
                    var keys = KeyDecoder.Decode(buffer.AsSpan(0, n));
                    if (keys.Count > 0)
                    {
                        _onKeys(keys);
                    }
                }
            }
        }
        catch (IOException)
        {
            _onEnd(); // The terminal went away.
        }
    }

    /// <summary>Stops reading (within one wait) and waits for the thread.</summary>
    public void Dispose()
    {
        _stopped = true;
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(1));
        }
    }
}
