namespace Drover.Cli.Tests.Support;

/// <summary>
/// Waiting for a condition that no output line announces (a process dying after its parent was SIGKILLed), with a
/// generous upper bound. The condition is re-checked every few milliseconds; how soon it holds is never asserted.
/// </summary>
internal static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails with <paramref name="describe"/> after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            try
            {
                await tick.WaitForNextTickAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                if (condition())
                {
                    return;
                }
                throw new TimeoutException($"still not true after {timeout.TotalSeconds} s: {describe()}");
            }
        }
    }
}
