using System.Text;

namespace Drover.Tui.Feed;

/// <summary>Bytes of a stream to whole lines (UTF-8, "\n" ended); a partial line waits for the rest.</summary>
internal sealed class LineSplitter
{
    private readonly List<byte> _partial = [];

    /// <summary>The lines completed by <paramref name="bytes"/>.</summary>
    public List<string> Add(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        while (true)
        {
            int newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _partial.AddRange(bytes);
                return lines;
            }
            if (_partial.Count > 0)
            {
                _partial.AddRange(bytes[..newline]);
                lines.Add(Encoding.UTF8.GetString([.. _partial]));
                _partial.Clear();
            }
            else
            {
                lines.Add(Encoding.UTF8.GetString(bytes[..newline]));
            }
            bytes = bytes[(newline + 1)..];
        }
    }
}
