using System.Text;
using Drover.Core.Output;

namespace Drover.Posix.Tests;

/// <summary>An output sink that keeps every byte, for assertions.</summary>
internal sealed class CollectingSink : IOutputSink
{
    private readonly List<byte> _bytes = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completed => _completed.Task;

    public byte[] Bytes
    {
        get
        {
            lock (_bytes)
            {
                return [.. _bytes];
            }
        }
    }

    public string Text => Encoding.UTF8.GetString(Bytes);

    public bool Write(ReadOnlySpan<byte> data)
    {
        lock (_bytes)
        {
            _bytes.AddRange(data);
        }
        return true;
    }

    public Task WhenWritable() => Task.CompletedTask;

    public void Complete() => _completed.TrySetResult();
}
