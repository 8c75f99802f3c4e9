namespace Drover.Bench.Measures;

/// <summary>
/// Reads a manager's combined output as it streams and checks every generator line: intact (exactly one whole
/// payload on the output line, nothing of another payload before it), in order per producer, or damaged — glued
/// (two payloads on one output line) or split (a payload cut, or a fragment on a line of its own). Lines with
/// neither '@' nor '#' are the manager's own messages and are ignored.
/// </summary>
internal sealed class LineChecker
{
    private const int PayloadLength = Fixtures.LineLength - 1;

    private readonly int[] _next = Enumerable.Repeat(1, Fixtures.Producers + 1).ToArray();
    private readonly byte[] _carry = new byte[1 << 20];
    private int _carryLength;
    private bool _carryOverflow;

    public long Intact { get; private set; }
    public long Glued { get; private set; }
    public long Split { get; private set; }
    public long OutOfOrder { get; private set; }
    public long Bytes { get; private set; }
    public List<string> Examples { get; } = [];

    public void Feed(ReadOnlySpan<byte> data)
    {
        Bytes += data.Length;
        while (!data.IsEmpty)
        {
            int nl = data.IndexOf((byte)'\n');
            if (nl < 0)
            {
                Carry(data);
                return;
            }
            if (_carryLength > 0 || _carryOverflow)
            {
                Carry(data[..nl]);
                Line(_carry.AsSpan(0, _carryLength));
                _carryLength = 0;
                _carryOverflow = false;
            }
            else
            {
                Line(data[..nl]);
            }
            data = data[(nl + 1)..];
        }
    }

    /// <summary>The last line, if output ended without a newline.</summary>
    public void Finish()
    {
        if (_carryLength > 0)
        {
            Line(_carry.AsSpan(0, _carryLength));
            _carryLength = 0;
        }
    }

    private void Carry(ReadOnlySpan<byte> data)
    {
        int take = Math.Min(data.Length, _carry.Length - _carryLength);
        data[..take].CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += take;
        _carryOverflow |= take < data.Length;
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        if (line.IndexOfAny((byte)'@', (byte)'#') < 0)
        {
            return;
        }
        int at = line.IndexOf("@@P"u8);
        if (at >= 0 && line[(at + 3)..].IndexOf("@@P"u8) >= 0)
        {
            Damaged(line, glued: true);
            return;
        }
        if (at < 0 || line[..at].IndexOfAny((byte)'@', (byte)'#') >= 0)
        {
            Damaged(line, glued: at >= 0);
            return;
        }
        var payload = line[at..];
        if (payload.Length != PayloadLength || !TryParse(payload, out int producer, out int seq))
        {
            Damaged(line, glued: false);
            return;
        }
        if (seq == _next[producer])
        {
            Intact++;
        }
        else
        {
            OutOfOrder++;
            Example($"out of order: expected P{producer} {_next[producer]}, got {seq}");
        }
        _next[producer] = seq + 1;
    }

    private void Damaged(ReadOnlySpan<byte> line, bool glued)
    {
        if (glued)
        {
            Glued++;
        }
        else
        {
            Split++;
        }
        Example((glued ? "glued: " : "split: ") + System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, 160)]));
    }

    private void Example(string text)
    {
        if (Examples.Count < 5)
        {
            Examples.Add(text);
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> p, out int producer, out int seq)
    {
        producer = p[3] - '0';
        seq = 0;
        if (producer < 1 || producer > Fixtures.Producers || p[4] != ' ' || p[14] != ' ' || p[52] != '#' || p[53] != '#')
        {
            return false;
        }
        for (int i = 5; i < 14; i++)
        {
            int d = p[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }
            seq = seq * 10 + d;
        }
        for (int k = 0; k < Fixtures.FillerLength; k++)
        {
            if (p[15 + k] != Fixtures.Filler(seq, k))
            {
                return false;
            }
        }
        return true;
    }
}
