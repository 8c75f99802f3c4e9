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
    private readonly object _gate = new();
    private readonly List<TerminalAttachment> _attached = [];
    private volatile bool _any;
    private bool _ended;

    /// <summary>A new client, from the next output on; one that attaches after the end gets a finished reader.</summary>
    public TerminalAttachment Attach()
    {
        var attachment = new TerminalAttachment(Detach);
        lock (_gate)
        {
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

    /// <inheritdoc />
    public bool Write(ReadOnlySpan<byte> data)
    {
        if (_any)
        {
            lock (_gate)
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
