using System.Threading.Channels;

namespace Drover.Core.Terminals;

/// <summary>
/// One client attached to a process's terminal: a copy of every output read from it, queued for the client. The
/// queue is bounded in bytes; a client that falls that far behind is cut off (its reader completes with
/// <see cref="AttachmentTooSlowException"/>) rather than slowing the process or the formation.
/// </summary>
public sealed class TerminalAttachment : IDisposable
{
    /// <summary>Bytes a client may have waiting before it is cut off.</summary>
    public const long MaxQueuedBytes = 4 * 1024 * 1024;

    private readonly Channel<byte[]> _channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<TerminalAttachment> _detach;
    private long _queued;

    internal TerminalAttachment(Action<TerminalAttachment> detach) => _detach = detach;

    /// <summary>The output, chunk by chunk as it was read; completes when the terminal closes.</summary>
    public ChannelReader<byte[]> Output => _channel.Reader;

    /// <summary>Marks <paramref name="chunk"/> as taken by the client, for the byte bound.</summary>
    public void Taken(byte[] chunk) => Interlocked.Add(ref _queued, -chunk.Length);

    /// <summary>Queues a copy for the client; false when it has been cut off (too slow or gone).</summary>
    internal bool Offer(ReadOnlySpan<byte> data)
    {
        if (Interlocked.Add(ref _queued, data.Length) > MaxQueuedBytes)
        {
            _channel.Writer.TryComplete(new AttachmentTooSlowException());
            return false;
        }
        return _channel.Writer.TryWrite(data.ToArray());
    }

    internal void End() => _channel.Writer.TryComplete();

    /// <summary>Detaches: nothing more is queued.</summary>
    public void Dispose()
    {
        _detach(this);
        _channel.Writer.TryComplete();
    }
}

/// <summary>An attached client fell too far behind the process's output and was detached.</summary>
public sealed class AttachmentTooSlowException() : Exception("the attached terminal could not keep up with the process's output and was detached");
