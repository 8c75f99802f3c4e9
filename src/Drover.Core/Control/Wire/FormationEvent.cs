namespace Drover.Core.Control.Wire;

/// <summary>
/// One line of GET /v1/events (newline-delimited JSON): the whole formation, pushed when it changes and on a timer.
/// </summary>
/// <param name="At">When the frame was taken, Unix milliseconds.</param>
/// <param name="Sample">True when CPU% and RSS were measured for this frame; false when they are carried over from the previous sample (a frame sent because something changed).</param>
/// <param name="Phase">The formation's phase: running, terminating, killing, reapingstrays, done.</param>
/// <param name="Types">The process types, in Procfile order (types with no instance too).</param>
/// <param name="Processes">Every instance, as in <c>/v1/ps</c>.</param>
public sealed record FormationEvent(long At, bool Sample, string Phase, IReadOnlyList<string> Types, IReadOnlyList<PsEntry> Processes);
