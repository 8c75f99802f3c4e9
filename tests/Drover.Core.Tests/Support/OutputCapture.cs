using Drover.Core.Output;

namespace Drover.Core.Tests.Support;

/// <summary>A real <see cref="OutputHub"/> writing into a stream the test can read, without colors or timestamps by default.</summary>
internal sealed class OutputCapture : IAsyncDisposable
{
    public OutputCapture(
        int nameWidth = 0, bool color = false, bool timestamps = false, TimeProvider? time = null, CollectingStream? stream = null)
    {
        Stream = stream ?? new CollectingStream();
        Hub = new OutputHub(Stream, new PrefixFormatter(time ?? TimeProvider.System, color, timestamps, nameWidth));
    }

    public CollectingStream Stream { get; }

    public OutputHub Hub { get; }

    /// <summary>A framer for the process <paramref name="name"/>, as the supervisor makes one per started process.</summary>
    public LineFramer Framer(string name, int colorIndex = 0) => new(Hub, new OutputSource(name, colorIndex));

    /// <summary>Waits until <paramref name="text"/> has been written to the stream.</summary>
    public Task Shows(string text) => Poll.Until(() => Stream.Text.Contains(text, StringComparison.Ordinal), $"output containing '{text}'");

    /// <summary>Drains the hub and returns every line written, without newlines.</summary>
    public async Task<IReadOnlyList<string>> FinishLinesAsync()
    {
        await FinishAsync();
        return Stream.Lines();
    }

    /// <summary>Drains the hub and returns every byte written.</summary>
    public async Task<byte[]> FinishBytesAsync()
    {
        await FinishAsync();
        return Stream.Bytes;
    }

    public ValueTask DisposeAsync() => FinishAsync();

    private async ValueTask FinishAsync() => await Poll.Completion(Hub.DisposeAsync().AsTask(), "the output hub to drain");
}
