namespace Drover.Core.Supervision;

/// <summary>How the supervisor reacts to exits and how long it waits at shutdown.</summary>
/// <param name="Restart">Which exits lead to a restart.</param>
/// <param name="StopAllOnExit">Foreman's behaviour: the first exit of any process stops the whole formation,
/// and Drover exits with that process's code.</param>
/// <param name="StopTimeout">Time between SIGTERM and SIGKILL.</param>
/// <param name="Backoff">Restart delays.</param>
public sealed record SupervisorOptions(
    RestartPolicy Restart,
    bool StopAllOnExit,
    TimeSpan StopTimeout,
    BackoffOptions Backoff)
{
    /// <summary>
    /// Keep running when no process is left (a cluster agent's slots come and go); only a shutdown request ends it.
    /// </summary>
    public bool KeepRunningWhenIdle { get; init; }

    /// <summary>
    /// Finds who holds a port; when set, an instance that fails while another process listens on its PORT is
    /// told once which port is taken and by whom (the restarts and their backoff are unchanged).
    /// </summary>
    public IPortOwners? PortOwners { get; init; }

    /// <summary>
    /// Makes the check of a probe (<see cref="Probes.ProbeChecks.Create"/> when null); unit tests give checks
    /// whose results they decide.
    /// </summary>
    public Func<Settings.ProbeCheck, ProcessSpec, Probes.IProbeCheck>? ProbeChecks { get; init; }

    /// <summary>On-failure restarts, 5 s stop timeout, default backoff.</summary>
    public static SupervisorOptions Default { get; } =
        new(RestartPolicy.OnFailure, false, TimeSpan.FromSeconds(5), BackoffOptions.Default);
}
