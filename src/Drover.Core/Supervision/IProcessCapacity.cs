namespace Drover.Core.Supervision;

/// <summary>
/// What the operating system's limits still allow: open files, processes. Asked before a start or a scale-up, so
/// one beyond the limits is refused with a clear message before anything starts, rather than failing half-way.
/// </summary>
public interface IProcessCapacity
{
    /// <summary>
    /// Null when <paramref name="moreProcesses"/> more processes fit within the limits (with room left for Drover
    /// itself); otherwise why not: the limit named, its value, what is in use, and how to raise it.
    /// </summary>
    string? Refusal(int moreProcesses);
}
