using Drover.Core.Output;

namespace Drover.Cli.Commands;

/// <summary>
/// Drover's stdout under <c>start --tui</c>: while the UI has the screen the formation's prefixed output is dropped
/// here (the UI shows it, from the log), and once the UI is gone it goes to stdout again, so the shutdown is seen.
/// </summary>
internal sealed class HeldOutput(Stream target) : WriteOnlyStream
{
    private volatile bool _released;

    /// <summary>From now on, writes reach the real stdout.</summary>
    public void Release() => _released = true;

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
}
