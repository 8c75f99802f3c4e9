using Drover.Core.Supervision;

namespace Drover.Core.Control;

/// <summary>
/// Whether an instance is ready for work: what a rolling restart waits for before it stops the next instance.
/// The default (<see cref="PortReadinessProbe"/>) asks whether the instance accepts connections on its PORT.
/// </summary>
public interface IReadinessProbe
{
    /// <summary>Whether <paramref name="instance"/> is ready now (a process that was not is not waited for after its restart).</summary>
    Task<bool> IsReadyAsync(InstanceSnapshot instance, CancellationToken cancel);

    /// <summary>Completes once <paramref name="instance"/> is ready; the caller's deadline cancels it.</summary>
    Task WhenReadyAsync(InstanceSnapshot instance, CancellationToken cancel);
}
