namespace Drover.Cli.Commands;

/// <summary>
/// Gives the thread pool a fixed set of workers, made at start while the process limit still has room. The runtime
/// aborts the whole process when it cannot create a pool thread (the pool does not catch the OutOfMemoryException
/// of Thread.StartCore), so a limit exhausted later by the user's own processes (RLIMIT_NPROC, a cgroup's
/// pids.max) took Drover and the formation down whenever the pool grew (bench/nproc-exhaustion.sh: 1 run in 10).
/// The pool may not grow past the workers made here, and Drover.csproj keeps them alive (ThreadsToKeepAlive=-1),
/// so it never makes a thread again. Drover's pool work is asynchronous and short; nothing blocks a worker for long.
/// </summary>
internal static class ThreadPoolReserve
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>How many workers: twice the cores, at least 8, at most 32.</summary>
    public static int Size { get; } = Math.Clamp(2 * Environment.ProcessorCount, 8, 32);

    /// <summary>Makes <see cref="Size"/> workers (all busy at once for a moment), then caps the pool there.</summary>
    public static void Fill()
    {
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        ThreadPool.GetMaxThreads(out _, out int maxIo);
        // Up to the minimum, the pool makes a worker for each queued item at once, without its starvation delay.
        ThreadPool.SetMinThreads(Size, minIo);
        // Not disposed: a worker may still be leaving Wait when this returns.
        var running = new CountdownEvent(Size);
        var release = new ManualResetEventSlim();
        for (int i = 0; i < Size; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                running.Signal();
                release.Wait(Patience);
            }, null);
        }
        running.Wait(Patience);
        release.Set();
        ThreadPool.SetMinThreads(Math.Min(minWorkers, Size), minIo);
        ThreadPool.SetMaxThreads(Size, maxIo);
    }
}
