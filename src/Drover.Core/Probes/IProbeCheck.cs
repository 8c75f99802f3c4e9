namespace Drover.Core.Probes;

/// <summary>One kind of check (TCP, HTTP, exec) aimed at one instance; run once per probe period.</summary>
public interface IProbeCheck
{
    /// <summary>Checks once. <paramref name="cancel"/> fires at the probe's timeout (or when the probe stops):
    /// the check then ends promptly (an exec check kills its command) and the caller counts a failure.</summary>
    Task<ProbeResult> CheckAsync(CancellationToken cancel);
}
