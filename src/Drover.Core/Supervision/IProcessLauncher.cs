using Drover.Core.Output;

namespace Drover.Core.Supervision;

/// <summary>
/// The seam between the supervisor and the operating system. The real one spawns into a new session and
/// process group; tests use a fake that needs no processes at all.
/// </summary>
public interface IProcessLauncher
{
    /// <summary>
    /// Starts <paramref name="spec"/>, delivering its merged stdout and stderr to <paramref name="output"/>.
    /// <paramref name="spawned"/> is called with the pid before any output is read, so a "started" message
    /// can precede the process's first line. Throws <see cref="LaunchException"/> when the process cannot be started.
    /// </summary>
    IRunningProcess Start(ProcessSpec spec, IOutputSink output, Action<int> spawned);

    /// <summary>
    /// Begins a burst of <see cref="Start"/> calls, ended by disposing the result: a launcher may defer work that
    /// wakes other threads (e.g. reading the new pipes) until then, so many processes start with one wake-up
    /// instead of one each. Nothing is lost, only delayed until the burst ends.
    /// </summary>
    IDisposable BeginBurst() => NoBurst.Instance;

    private sealed class NoBurst : IDisposable
    {
        public static readonly NoBurst Instance = new();

        public void Dispose()
        {
        }
    }
}

/// <summary>A started process and its process group.</summary>
public interface IRunningProcess
{
    /// <summary>The process id; also the process group id.</summary>
    int Pid { get; }

    /// <summary>
    /// Completes when the process has exited and been reaped, after the output it wrote before
    /// exiting has been handed to the sink.
    /// </summary>
    Task<ExitStatus> Exited { get; }

    /// <summary>Completes when no process is left in the group: the process itself and everything it started.</summary>
    Task GroupGone { get; }

    /// <summary>Asks every process in the group to stop (SIGTERM on Linux); false when the group is already empty.</summary>
    bool Terminate();

    /// <summary>Kills every process in the group (SIGKILL on Linux); false when the group is already empty.</summary>
    bool Kill();

    /// <summary>Sends <paramref name="signal"/> to every process in the group (a type's stop signal); false when
    /// the group is already empty. A launcher that knows no other signals asks to terminate.</summary>
    bool Signal(StopSignal signal) => signal switch
    {
        StopSignal.Kill => Kill(),
        _ => Terminate(),
    };
}

/// <summary>A process could not be started (bad working directory, exhausted resources, ...).</summary>
public sealed class LaunchException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// When a limit of the system was reached (open files, processes, memory): what to do about it, e.g. raise
    /// <c>ulimit -n</c>. The supervisor says it once, not at every failed start.
    /// </summary>
    public string? LimitAdvice { get; init; }
}
