using Drover.Core.Output;

namespace Drover.Core.Logs;

/// <summary>A write-only stream that asks before every write (to make room within the log directory's bound).</summary>
internal sealed class BudgetedStream(Stream inner, Action<int> reserve) : WriteOnlyStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        reserve(buffer.Length);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();
}
