using System.Text;

namespace Drover.Tui.View;

/// <summary>
/// Text as the screen's cells: a process's output may carry escape sequences and control characters (it runs on a
/// terminal), which would move the cursor or recolor the UI, so they are removed; tabs become spaces. One char is
/// taken for one cell (wide East Asian characters overflow; the row is still cut by the terminal, not wrapped).
/// </summary>
internal static class TextCells
{
    /// <summary><paramref name="text"/> without escape sequences or control characters, tabs expanded.</summary>
    public static string Clean(string text)
    {
        bool plain = true;
        foreach (char c in text)
        {
            if (c < ' ' || c is >= '\u007f' and <= '\u009f')
            {
                plain = false;
                break;
            }
        }
        if (plain)
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\u001b')
            {
                i = SkipEscape(text, i);
                continue;
            }
            if (c == '\t')
            {
                clean.Append(' ', 8 - (clean.Length % 8));
            }
            else if (c >= ' ' && c is not (>= '\u007f' and <= '\u009f'))
            {
                clean.Append(c);
            }
        }
        return clean.ToString();
    }

    /// <summary><paramref name="text"/> cut or padded with spaces to exactly <paramref name="width"/> cells.</summary>
    public static string Fit(string text, int width, bool right = false)
    {
        if (width <= 0)
        {
            return "";
        }
        if (text.Length > width)
        {
            return width == 1 ? text[..1] : text[..(width - 1)] + "…";
        }
        return right ? text.PadLeft(width) : text.PadRight(width);
    }

    /// <summary><paramref name="text"/> cut to at most <paramref name="width"/> cells, not padded.</summary>
    public static string Cut(string text, int width) => text.Length <= width ? text : text[..Math.Max(0, width)];

    // Returns the index of the sequence's last char: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), or ESC + one char.
    private static int SkipEscape(string text, int at)
    {
        if (at + 1 >= text.Length)
        {
            return at;
        }
        char kind = text[at + 1];
        if (kind == '[')
        {
            int i = at + 2;
            while (i < text.Length && text[i] is < '@' or > '~')
            {
                i++;
            }
            return Math.Min(i, text.Length - 1);
        }
        if (kind == ']')
        {
            for (int i = at + 2; i < text.Length; i++)
            {
                if (text[i] == '\u0007')
                {
                    return i;
                }
                if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '\\')
                {
                    return i + 1;
                }
            }
            return text.Length - 1;
        }
        return at + 1;
    }
}
