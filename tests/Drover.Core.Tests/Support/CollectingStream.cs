using System.Text;

namespace Drover.Core.Tests.Support;

/// <summary>A write-only stream that keeps everything written to it; safe to read from another thread.</summary>
internal class CollectingStream : Stream
{
    private readonly object _gate = new();
    private readonly MemoryStream _bytes = new();
    private int _writes;

    /// <summary>Everything written so far.</summary>
    public byte[] Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes.ToArray();
            }
        }
    }

    /// <summary>Everything written so far, decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>How many times Write was called.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>The complete lines written so far, without their newlines.</summary>
    public IReadOnlyList<string> Lines()
    {
        string text = Text;
        int end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeforeWrite();
        Interlocked.Increment(ref _writes);
        lock (_gate)
        {
            _bytes.Write(buffer);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Called on the writing thread before each write is kept.</summary>
    protected virtual void BeforeWrite()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bytes.Dispose();
        }
        base.Dispose(disposing);
    }
}
