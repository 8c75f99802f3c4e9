namespace Drover.Core.Supervision;

/// <summary>
/// Processes that left their instance's process group (<c>setsid</c>, a daemonizing double fork) but were
/// re-parented to Drover when their parent died. Group signals miss them, so shutdown stops them separately.
/// Implemented by launchers that can see them (a child subreaper); optional.
/// </summary>
public interface IStrayProcesses
{
    /// <summary>
    /// Sends SIGTERM to every stray (and its own group), SIGKILL to those left after <paramref name="timeout"/>,
    /// and completes when none is left. <paramref name="report"/> receives a line for the output.
    /// </summary>
    Task StopStraysAsync(TimeSpan timeout, Action<string> report);
}
