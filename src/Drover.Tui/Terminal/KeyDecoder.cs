using System.Text;

namespace Drover.Tui.Terminal;

/// <summary>
/// Bytes typed on the terminal to keys: printable characters (UTF-8), control keys and the usual escape sequences
/// of xterm-like terminals (cursor keys in both modes, PgUp/PgDn, Home/End). Unknown sequences are dropped.
/// </summary>
internal static class KeyDecoder
{
    /// <summary>Decodes one read's worth of bytes (a sequence is never split across reads on a terminal in practice).</summary>
    public static List<Key> Decode(ReadOnlySpan<byte> bytes)
    {
        var keys = new List<Key>();
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            if (b == 0x1b)
            {
                i += Escape(bytes[(i + 1)..], keys) + 1;
                continue;
            }
            i++;
            switch (b)
            {
                case 0x03: keys.Add(new Key(KeyKind.CtrlC)); break;
                case 0x09: keys.Add(new Key(KeyKind.Tab)); break;
                case 0x0d or 0x0a: keys.Add(new Key(KeyKind.Enter)); break;
                case 0x7f or 0x08: keys.Add(new Key(KeyKind.Backspace)); break;
                case < 0x20: break;
                case < 0x80: keys.Add(Key.Of((char)b)); break;
                default:
                    int length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                    int end = Math.Min(bytes.Length, i - 1 + length);
                    foreach (char c in Encoding.UTF8.GetString(bytes[(i - 1)..end]))
                    {
                        keys.Add(Key.Of(c));
                    }
                    i = end;
                    break;
            }
        }
        return keys;
    }

    // Returns how many bytes after the ESC were consumed.
    private static int Escape(ReadOnlySpan<byte> rest, List<Key> keys)
    {
        if (rest.Length == 0 || (rest[0] != (byte)'[' && rest[0] != (byte)'O'))
        {
            keys.Add(new Key(KeyKind.Escape));
            return 0;
        }
        // CSI or SS3: parameters (digits and ';') up to a final byte.
        int n = 1;
        while (n < rest.Length && (char.IsAsciiDigit((char)rest[n]) || rest[n] == (byte)';'))
        {
            n++;
        }
        if (n >= rest.Length)
        {
            return rest.Length;
        }
        string parameters = Encoding.ASCII.GetString(rest[1..n]);
        KeyKind? kind = (char)rest[n] switch
        {
            'A' => KeyKind.Up,
            'B' => KeyKind.Down,
            'C' => KeyKind.Right,
            'D' => KeyKind.Left,
            'H' => KeyKind.Home,
            'F' => KeyKind.End,
            '~' => parameters switch
            {
                "5" => KeyKind.PageUp,
                "6" => KeyKind.PageDown,
                "1" or "7" => KeyKind.Home,
                "4" or "8" => KeyKind.End,
                _ => null,
            },
            _ => null,
        };
        if (kind is KeyKind k)
        {
            keys.Add(new Key(k));
        }
        return n + 1;
    }
}
