namespace Drover.Core.Output;

/// <summary>
/// Gets a copy of every chunk of lines the output writer writes, with its time (the log files). Called on the
/// writer thread, in output order; may block only as long as output back-pressure allows.
/// </summary>
public interface IOutputTap
{
    /// <summary>Whole lines (each ending in '\n') that <paramref name="source"/> wrote at <paramref name="time"/>.</summary>
    void Append(OutputSource source, ReadOnlySpan<byte> lines, DateTimeOffset time);
}
