namespace Drover.Cli.Commands;

/// <summary>
/// Drover's stdout under <c>start --tui</c>: while the UI has the screen the formation's prefixed output is dropped
/// here (the UI shows it, from the log), and once the UI is gone it goes to stdout again, so the shutdown is seen.
/// </summary>
internal sealed class HeldOutput(Stream target) : Stream
{
    private volatile bool _released;

    /// <summary>From now on, writes reach the real stdout.</summary>
    public void Release() => _released = true;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_released)
        {
            target.Write(buffer);
        }
    }

    public override void Flush()
    {
        if (_released)
        {
            target.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
