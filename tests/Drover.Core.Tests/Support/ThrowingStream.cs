namespace Drover.Core.Tests.Support;

/// <summary>A stream whose reader went away: every write throws <see cref="IOException"/> (EPIPE).</summary>
internal sealed class ThrowingStream : CollectingStream
{
    private int _attempts;

    /// <summary>How many writes were attempted.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    protected override void BeforeWrite()
    {
        Interlocked.Increment(ref _attempts);
        throw new IOException("Broken pipe");
    }
}
