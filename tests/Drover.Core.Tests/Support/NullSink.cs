using Drover.Core.Output;

namespace Drover.Core.Tests.Support;

/// <summary>An output sink that discards everything, for tests that do not look at output.</summary>
internal sealed class NullSink : IOutputSink
{
    public static NullSink Instance { get; } = new();

    public bool Write(ReadOnlySpan<byte> data) => true;

    public Task WhenWritable() => Task.CompletedTask;

    public void Complete()
    {
    }
}
