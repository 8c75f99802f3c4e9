using System.Text;
using Drover.Posix;
using Microsoft.Win32.SafeHandles;

namespace Drover.Tui.Terminal;

/// <summary>
/// The user's terminal while the UI has it: raw mode, the alternate screen, no cursor, no line wrap. Written as
/// plain bytes on fd 1, never through .NET's console (which would initialise it from terminfo and leave it in
/// keypad-transmit mode). Restoring is idempotent and safe from any thread, so every exit path can call it.
/// Lines are drawn only where they differ from what the screen shows.
/// </summary>
internal sealed class TerminalScreen : IDisposable
{
    // Alternate screen, cursor hidden, autowrap off (a full last column must not scroll the screen).
    private const string Enter = "\u001b[?1049h\u001b[?25l\u001b[?7l\u001b[H\u001b[2J";
    private const string Leave = "\u001b[0m\u001b[?7h\u001b[?25h\u001b[?1049l";

    private readonly FileStream _out = new(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
    private readonly object _gate = new();
    private readonly RawTerminal _raw;
    private string[] _shown = [];
    private bool _inAlternate;
    private bool _restored;

    private TerminalScreen(RawTerminal raw)
    {
        _raw = raw;
    }

    /// <summary>Takes the terminal on fds 0 and 1; null when either is not a terminal.</summary>
    public static TerminalScreen? Open()
    {
        if (!RawTerminal.IsTerminal(0) || !RawTerminal.IsTerminal(1) || RawTerminal.Enter(0) is not { } raw)
        {
            return null;
        }
        var screen = new TerminalScreen(raw);
        screen.EnterAlternate();
        return screen;
    }

    /// <summary>The window size now.</summary>
    public static (int Rows, int Columns) Size => RawTerminal.SizeOf(1);

    /// <summary>Draws <paramref name="lines"/> (one per row, with their own escapes), rewriting only the rows that changed.</summary>
    public void Present(IReadOnlyList<string> lines)
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            if (_restored || !_inAlternate)
            {
                return;
            }
            if (_shown.Length != lines.Count)
            {
                _shown = new string[lines.Count];
                text.Append("\u001b[0m\u001b[2J");
            }
            for (int row = 0; row < lines.Count; row++)
            {
                if (_shown[row] != lines[row])
                {
                    text.Append("\u001b[").Append(row + 1).Append(";1H\u001b[0m").Append(lines[row]).Append("\u001b[0m\u001b[K");
                    _shown[row] = lines[row];
                }
            }
            if (text.Length > 0)
            {
                Write(text.ToString());
            }
        }
    }

    /// <summary>Forgets what is shown, so the next <see cref="Present"/> draws everything (after a resize).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _shown = [];
        }
    }

    /// <summary>Gives the normal screen back (for an attachment); the terminal stays raw.</summary>
    public void Suspend()
    {
        lock (_gate)
        {
            if (_inAlternate && !_restored)
            {
                Write(Leave);
                _inAlternate = false;
            }
        }
    }

    /// <summary>Takes the alternate screen again and forgets what was shown.</summary>
    public void Resume() => EnterAlternate();

    /// <summary>Writes text on the normal screen (while suspended).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            try
            {
                _out.Write(bytes);
            }
            catch (IOException)
            {
                // The terminal is gone.
            }
        }
    }

    private void EnterAlternate()
    {
        lock (_gate)
        {
            if (!_restored && !_inAlternate)
            {
                Write(Enter);
                _inAlternate = true;
                _shown = [];
            }
        }
    }

    private void Write(string text)
    {
        try
        {
            _out.Write(Encoding.UTF8.GetBytes(text));
        }
        catch (IOException)
        {
            // The terminal is gone (hangup): nothing to draw on.
        }
    }

    /// <summary>Leaves the alternate screen, shows the cursor and restores the terminal's mode: every exit path.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_restored)
            {
                return;
            }
            if (_inAlternate)
            {
                Write(Leave);
            }
            else
            {
                Write("\u001b[0m\u001b[?7h\u001b[?25h");
            }
            _restored = true;
            _inAlternate = false;
        }
        _raw.Dispose();
    }
}
