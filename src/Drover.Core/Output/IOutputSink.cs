namespace Drover.Core.Output;

/// <summary>
/// Where a process's raw output bytes go. Called from a single reader thread; must not block.
/// Back-pressure is cooperative: when <see cref="Write"/> returns false the reader stops reading that
/// process (so the child blocks on its full pipe) until <see cref="WhenWritable"/> completes.
/// </summary>
public interface IOutputSink
{
    /// <summary>Accepts <paramref name="data"/> (always, copying it); returns false to ask the reader to pause.</summary>
    bool Write(ReadOnlySpan<byte> data);

    /// <summary>Completes when the reader may resume after <see cref="Write"/> returned false.</summary>
    Task WhenWritable();

    /// <summary>End of output: the last writer of the pipe closed it. A partial last line should be flushed.</summary>
    void Complete();
}
