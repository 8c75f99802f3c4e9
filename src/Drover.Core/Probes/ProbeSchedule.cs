using Drover.Core.Settings;

namespace Drover.Core.Probes;

/// <summary>
/// Runs one probe of one process: the first check after <c>initial_delay</c>, then one every <c>period</c> (never
/// two at once: a slow check delays the next), each cut at <c>timeout</c>, all on the given clock so tests use a
/// fake one. Results go to <c>report</c> (the supervisor posts them to its loop, which owns the thresholds).
/// Ends when disposed (the process exited or is being stopped).
/// </summary>
public sealed class ProbeSchedule : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private ProbeSchedule(ProbeSpec spec, IProbeCheck check, TimeProvider time, Action<ProbeResult> report)
    {
        Running = RunAsync(spec, check, time, report, _stop.Token);
    }

    /// <summary>Completes when the schedule has ended (after <see cref="Dispose"/>).</summary>
    public Task Running { get; }

    /// <summary>Starts checking now (the first check after the initial delay).</summary>
    public static ProbeSchedule Start(ProbeSpec spec, IProbeCheck check, TimeProvider time, Action<ProbeResult> report) =>
        new(spec, check, time, report);

    private static async Task RunAsync(ProbeSpec spec, IProbeCheck check, TimeProvider time, Action<ProbeResult> report, CancellationToken stop)
    {
        await Task.Yield();
        try
        {
            if (spec.InitialDelay > TimeSpan.Zero)
            {
                await Task.Delay(spec.InitialDelay, time, stop).ConfigureAwait(false);
            }
            var period = spec.Period > TimeSpan.Zero ? spec.Period : TimeSpan.FromSeconds(1);
            while (true)
            {
                var started = time.GetTimestamp();
                var result = await CheckOnceAsync(check, spec.Timeout, time, stop).ConfigureAwait(false);
                stop.ThrowIfCancellationRequested();
                report(result);
                var left = period - time.GetElapsedTime(started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, time, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped with its process.
        }
    }

    private static async Task<ProbeResult> CheckOnceAsync(IProbeCheck check, TimeSpan timeout, TimeProvider time, CancellationToken stop)
    {
        using var deadline = timeout > TimeSpan.Zero ? new CancellationTokenSource(timeout, time) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token);
        try
        {
            return await check.CheckAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return ProbeResult.Fail($"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A check never takes the supervisor down: whatever went wrong is a failed check.
            return ProbeResult.Fail(e.Message);
        }
    }

    /// <summary>Stops checking; a check under way is cancelled and its result dropped.</summary>
    public void Dispose() => _stop.Cancel();
}
