using System.Text;
using System.Text.RegularExpressions;
using Drover.Core.Output;

namespace Drover.Core.Probes;

/// <summary>
/// Watches a process's output for its type's <c>ready_log_line</c> (a regular expression matched against each
/// line) and passes every byte on to <paramref name="inner"/> unchanged. Only types with a ready log line get
/// one; after the first match it only forwards, so the output path of other types, and of this one once ready,
/// costs nothing more. A line longer than 64 KiB is matched on its first 64 KiB.
/// </summary>
public sealed class ReadyLineWatch(IOutputSink inner, Regex pattern, Action<string> matched) : IOutputSink
{
    private const int MaxLine = 64 * 1024;
    private byte[] _partial = [];
    private int _partialLength;
    private bool _done;

    /// <inheritdoc />
    public bool Write(ReadOnlySpan<byte> data)
    {
        if (!_done)
        {
            Scan(data);
        }
        return inner.Write(data);
    }

    /// <inheritdoc />
    public Task WhenWritable() => inner.WhenWritable();

    /// <inheritdoc />
    public void Complete()
    {
        if (!_done && _partialLength > 0)
        {
            Match(_partial.AsSpan(0, _partialLength));
        }
        inner.Complete();
    }

    private void Scan(ReadOnlySpan<byte> data)
    {
        while (!_done && !data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            var piece = newline < 0 ? data : data[..newline];
            if (newline < 0)
            {
                Keep(piece);
                return;
            }
            if (_partialLength > 0)
            {
                Keep(piece);
                Match(_partial.AsSpan(0, _partialLength));
                _partialLength = 0;
            }
            else
            {
                Match(piece);
            }
            data = data[(newline + 1)..];
        }
        if (_done)
        {
            _partial = [];
            _partialLength = 0;
        }
    }

    private void Keep(ReadOnlySpan<byte> piece)
    {
        int room = MaxLine - _partialLength;
        if (room <= 0)
        {
            return;
        }
        piece = piece.Length > room ? piece[..room] : piece;
        if (_partial.Length < _partialLength + piece.Length)
        {
            Array.Resize(ref _partial, Math.Min(MaxLine, Math.Max(256, (_partialLength + piece.Length) * 2)));
        }
        piece.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += piece.Length;
    }

    private void Match(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        string text = Encoding.UTF8.GetString(line.Length > MaxLine ? line[..MaxLine] : line);
        if (pattern.IsMatch(text))
        {
            _done = true;
            matched(text);
        }
    }
}
