using Drover.Core.Supervision;

namespace Drover.Core.Control;

/// <summary>
/// Ready = accepts TCP connections on its PORT. A listening socket sends no notice, so waiting means trying to
/// connect again every <c>interval</c> (by <paramref name="time"/>'s clock) until the caller's deadline.
/// </summary>
public sealed class PortReadinessProbe(TimeProvider time, TimeSpan? interval = null) : IReadinessProbe
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromMilliseconds(50);

    /// <inheritdoc />
    public async Task<bool> IsReadyAsync(InstanceSnapshot instance, CancellationToken cancel) =>
        instance.Port is int port && await PortProbe.IsAcceptingAsync(port, cancel).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task WhenReadyAsync(InstanceSnapshot instance, CancellationToken cancel)
    {
        while (!await IsReadyAsync(instance, cancel).ConfigureAwait(false))
        {
            await Task.Delay(_interval, time, cancel).ConfigureAwait(false);
        }
    }
}
