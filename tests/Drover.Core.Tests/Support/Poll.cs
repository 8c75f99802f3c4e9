using System.Diagnostics;

namespace Drover.Core.Tests.Support;

/// <summary>
/// Waits for effects that happen on other threads (the supervisor's loop, the output writer). The timeout is
/// generous real time and only bounds a failing test; no test asserts on how long anything took.
/// </summary>
internal static class Poll
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Returns as soon as <paramref name="condition"/> holds; fails the test after <see cref="Timeout"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        long start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > Timeout)
            {
                Assert.Fail($"timed out after {Timeout.TotalSeconds} s waiting for: {what}");
            }
            await Task.Delay(1);
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing the test if it does not complete within <see cref="Timeout"/>.</summary>
    public static async Task<T> Completion<T>(Task<T> task, string what)
    {
        await Until(() => task.IsCompleted, what);
        return await task;
    }

    /// <inheritdoc cref="Completion{T}(Task{T}, string)"/>
    public static async Task Completion(Task task, string what)
    {
        await Until(() => task.IsCompleted, what);
        await task;
    }
}
