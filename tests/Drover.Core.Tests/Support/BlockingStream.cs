namespace Drover.Core.Tests.Support;

/// <summary>A collecting stream whose writes block until the test calls <see cref="Release"/>: a stuck terminal.</summary>
internal sealed class BlockingStream : CollectingStream
{
    private readonly ManualResetEventSlim _released = new();
    private readonly ManualResetEventSlim _blocked = new();

    /// <summary>True once a write is waiting for <see cref="Release"/>.</summary>
    public bool IsBlocked => _blocked.IsSet;

    /// <summary>Lets every waiting and future write through.</summary>
    public void Release() => _released.Set();

    protected override void BeforeWrite()
    {
        if (!_released.IsSet)
        {
            _blocked.Set();
            _released.Wait();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _released.Dispose();
            _blocked.Dispose();
        }
        base.Dispose(disposing);
    }
}
