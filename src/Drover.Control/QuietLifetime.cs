using Microsoft.Extensions.Hosting;

namespace Drover.Control;

/// <summary>
/// A host lifetime that does nothing. The default console lifetime would take SIGINT/SIGTERM for itself and stop
/// the web host on its own; Drover owns those signals and stops the control server when the formation is down.
/// </summary>
public sealed class QuietLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
