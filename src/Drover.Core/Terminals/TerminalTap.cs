using Drover.Core.Output;

namespace Drover.Core.Terminals;

/// <summary>
/// Sits between a terminal's reader and the process's line framer: every byte goes on to <paramref name="inner"/>
/// (the formation's stream, with its back-pressure) and a copy to each attached client. Writes come from the single
/// reader thread; attaching and detaching from any thread.
/// </summary>
/// <param name="inner">The formation's sink for this process.</param>
/// <param name="ended">Runs once after the output has ended (the terminal's last holder closed it).</param>
public sealed class TerminalTap(IOutputSink inner, Action ended) : IOutputSink
{
    /// <summary>How much recent output a new client is shown first, so it sees the prompt it is attaching to.</summary>
    public const int ReplayBytes = 2048;

    private readonly object _gate = new();
    // The last ReplayBytes of output, as a ring; under _gate.
    private readonly byte[] _recent = new byte[ReplayBytes];
    private long _recentTotal;
    private readonly List<TerminalAttachment> _attached = [];
    private volatile bool _any;
    private bool _ended;

    /// <summary>
    /// A new client: the last <see cref="ReplayBytes"/> of output first, then everything from now on. One that
    /// attaches after the end gets a finished reader.
    /// </summary>
    public TerminalAttachment Attach()
    {
        var attachment = new TerminalAttachment(Detach);
        lock (_gate)
        {
            int kept = (int)Math.Min(_recentTotal, ReplayBytes);
            if (kept > 0)
            {
                int start = (int)((_recentTotal - kept) % ReplayBytes);
                int first = Math.Min(kept, ReplayBytes - start);
                var replay = new byte[kept];
                _recent.AsSpan(start, first).CopyTo(replay);
                _recent.AsSpan(0, kept - first).CopyTo(replay.AsSpan(first));
                attachment.Offer(WithoutStaleQueries(replay));
            }
            if (_ended)
            {
                attachment.End();
                return attachment;
            }
            _attached.Add(attachment);
            _any = true;
        }
        return attachment;
    }

    /// <summary>
    /// The replay without its cursor-position questions (ESC [ 6 n) but for one at the very end. Each was asked of a
    /// terminal long ago; a new client's terminal would answer them all into the process's input, where a line
    /// editor takes the answers for typed text (rdbg's did). One at the end may still await its answer: rdbg's asks
    /// before its first prompt and waits, so attaching then is what answers it.
    /// </summary>
    internal static byte[] WithoutStaleQueries(byte[] replay)
    {
        ReadOnlySpan<byte> query = "\u001b[6n"u8;
        int end = replay.AsSpan().EndsWith(query) ? replay.Length - query.Length : replay.Length;
        if (replay.AsSpan(0, end).IndexOf(query) < 0)
        {
            return replay;
        }
        var kept = new List<byte>(replay.Length);
        var rest = replay.AsSpan(0, end);
        for (int at; (at = rest.IndexOf(query)) >= 0; rest = rest[(at + query.Length)..])
        {
            kept.AddRange(rest[..at]);
        }
        kept.AddRange(rest);
        kept.AddRange(replay.AsSpan(end));
        return [.. kept];
    }

    /// <inheritdoc />
    public bool Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            Remember(data);
            if (_any)
            {
                for (int i = _attached.Count - 1; i >= 0; i--)
                {
                    if (!_attached[i].Offer(data))
                    {
                        _attached.RemoveAt(i);
                    }
                }
                _any = _attached.Count > 0;
            }
        }
        return inner.Write(data);
    }

    private void Remember(ReadOnlySpan<byte> data)
    {
        if (data.Length > ReplayBytes)
        {
            _recentTotal += data.Length - ReplayBytes;
            data = data[^ReplayBytes..];
        }
        while (!data.IsEmpty)
        {
            int at = (int)(_recentTotal % ReplayBytes);
            int take = Math.Min(data.Length, ReplayBytes - at);
            data[..take].CopyTo(_recent.AsSpan(at));
            _recentTotal += take;
            data = data[take..];
        }
    }

    /// <inheritdoc />
    public Task WhenWritable() => inner.WhenWritable();

    /// <inheritdoc />
    public void Complete()
    {
        inner.Complete();
        lock (_gate)
        {
            _ended = true;
            _attached.ForEach(a => a.End());
            _attached.Clear();
            _any = false;
        }
        ended();
    }

    private void Detach(TerminalAttachment attachment)
    {
        lock (_gate)
        {
            _attached.Remove(attachment);
            _any = _attached.Count > 0;
        }
    }
}
