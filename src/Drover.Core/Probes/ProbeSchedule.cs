using Drover.Core.Settings;

namespace Drover.Core.Probes;

/// <summary>
/// Runs one probe of one process: the first check after <c>initial_delay</c>, then one every <c>period</c> on the
/// probe grid (<see cref="ProbeGrid"/>; never two at once: a slow check delays the next), each cut at
/// <c>timeout</c>, all on the given clock so tests use a fake one. Results go to <c>report</c> (the supervisor
/// posts them to its loop, which owns the thresholds). Ends when disposed (the process exited or is being stopped).
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
        // One timeout source for every check of this probe, reset after each check that did not time out (a new
        // source and a linked one per check were a large part of a check's cost).
        using var deadline = new Deadline(time);
        using var onStop = stop.UnsafeRegister(static d => ((Deadline)d!).Cancel(), deadline);
        try
        {
            if (spec.InitialDelay > TimeSpan.Zero)
            {
                await Task.Delay(spec.InitialDelay, time, stop).ConfigureAwait(false);
            }
            var period = spec.Period > TimeSpan.Zero ? spec.Period : TimeSpan.FromSeconds(1);
            var grid = new ProbeGrid(period, time);
            long due = grid.FirstAfter(time.GetTimestamp());
            while (true)
            {
                var source = deadline.Renew(stop);
                var result = await CheckOnceAsync(check, spec.Timeout, source, stop).ConfigureAwait(false);
                stop.ThrowIfCancellationRequested();
                report(result);
                due = grid.Next(due, time.GetTimestamp());
                var left = time.GetElapsedTime(time.GetTimestamp(), due);
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

    private static async Task<ProbeResult> CheckOnceAsync(IProbeCheck check, TimeSpan timeout, CancellationTokenSource deadline, CancellationToken stop)
    {
        if (timeout > TimeSpan.Zero)
        {
            deadline.CancelAfter(timeout);
        }
        try
        {
            return await check.CheckAsync(deadline.Token).ConfigureAwait(false);
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

    /// <summary>The cancellation of the check under way: at its timeout, or when the probe stops.</summary>
    private sealed class Deadline(TimeProvider time) : IDisposable
    {
        private volatile CancellationTokenSource _source = new(Timeout.InfiniteTimeSpan, time);

        /// <summary>A source for the next check: the same one when the last check did not time out.</summary>
        public CancellationTokenSource Renew(CancellationToken stop)
        {
            if (!_source.TryReset())
            {
                // Not disposed: a stop may still be cancelling it; a fired timer holds nothing.
                _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
                if (stop.IsCancellationRequested)
                {
                    _source.Cancel();
                }
            }
            return _source;
        }

        /// <summary>The probe stops: the check under way ends.</summary>
        public void Cancel() => _source.Cancel();

        /// <summary>After the stop's registration is gone (disposed in that order), nothing cancels it any more.</summary>
        public void Dispose() => _source.Dispose();
    }
}
