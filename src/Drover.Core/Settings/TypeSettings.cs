using Drover.Core.Supervision;

namespace Drover.Core.Settings;

/// <summary>
/// Everything the settings file (docs/settings.md) says about one process type, in process-compose's vocabulary.
/// Every member is optional: what is not set keeps Drover's global behaviour (the command-line flags).
/// </summary>
/// <param name="Type">The process type's name.</param>
public sealed record TypeSettings(string Type)
{
    /// <summary>Where the type's entry starts in the settings file, for messages; null when not from a file.</summary>
    public SettingsSource? Source { get; init; }

    /// <summary>The command, when the settings file is also the source of commands (a <c>process-compose.yaml</c>
    /// run with <c>-f</c>); null when the Procfile gives it.</summary>
    public string? Command { get; init; }

    /// <summary>Extra environment (<c>environment</c>), laid over the app's, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Env files of this type only (<c>env_file</c>), relative to the settings file, laid over the app's.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>The directory it starts in (<c>working_dir</c>), relative to the app root; null for the root.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Not started with the formation (<c>disabled</c>); only <c>drover start TYPE</c> or a scale starts it.</summary>
    public bool Disabled { get; init; }

    /// <summary>How many run by default (<c>replicas</c>); <c>-m</c> wins.</summary>
    public int? Replicas { get; init; }

    /// <summary>Restart policy, backoff and restart limit (<c>availability</c>).</summary>
    public AvailabilitySpec Availability { get; init; } = AvailabilitySpec.Inherit;

    /// <summary>When it counts as ready (<c>readiness_probe</c>); null: ready once started.</summary>
    public ProbeSpec? Readiness { get; init; }

    /// <summary>When it counts as alive (<c>liveness_probe</c>); null: never restarted for being unhealthy.</summary>
    public ProbeSpec? Liveness { get; init; }

    /// <summary>A line of output that makes it ready (<c>ready_log_line</c>, a regular expression); also the
    /// condition <see cref="DependencyCondition.LogReady"/> of its dependents.</summary>
    public string? ReadyLogLine { get; init; }

    /// <summary>What it waits for before its first start (<c>depends_on</c>).</summary>
    public IReadOnlyList<Dependency> DependsOn { get; init; } = [];

    /// <summary>How it is stopped (<c>shutdown</c>).</summary>
    public ShutdownSpec Shutdown { get; init; } = ShutdownSpec.Inherit;

    /// <summary>What files restart it when they change (<c>watch</c>, issue #20); null: not watched.</summary>
    public WatchSpec? Watch { get; init; }

    /// <summary>The file every line of the type's instances also goes to (<c>log_location</c>), rotated like the log
    /// directory's files; null: none.</summary>
    public LogLocation? LogLocation { get; init; }

    /// <summary>The settings of a type the file does not mention.</summary>
    public static TypeSettings Default(string type) => new(type);
}

/// <summary>A type's <c>log_location</c>: the file (absolute, resolved against the settings file's folder) and where the key is.</summary>
/// <param name="Path">The active file, ending in <c>.log</c>; rotated files are <c>NAME.log.SEQ</c> beside it.</param>
/// <param name="Source">The key's file and line.</param>
public sealed record LogLocation(string Path, SettingsSource Source);

/// <summary>Where a setting was written: file and 1-based line, for error messages.</summary>
public sealed record SettingsSource(string File, int Line)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>process-compose's <c>availability</c>: restart policy, delay between restarts, and a restart limit.</summary>
/// <param name="Restart">The policy; null keeps the global <c>--restart</c>.</param>
/// <param name="ExitOnFailure">process-compose's <c>exit_on_failure</c>: never restarted, and a failed exit stops the formation.</param>
/// <param name="BackoffSeconds">A fixed delay between restarts (<c>backoff_seconds</c>); null keeps Drover's growing backoff.</param>
/// <param name="MaxRestarts">After this many restarts in a row the instance is given up until started by hand; null: no limit.</param>
public sealed record AvailabilitySpec(RestartPolicy? Restart, bool ExitOnFailure, double? BackoffSeconds, int? MaxRestarts)
{
    /// <summary>Nothing set.</summary>
    public static AvailabilitySpec Inherit { get; } = new(null, false, null, null);
}

/// <summary>process-compose's <c>shutdown</c>: how a process is asked to stop.</summary>
/// <param name="Signal">The stop signal number (<c>signal</c>); null for SIGTERM.</param>
/// <param name="Timeout">Time before SIGKILL (<c>timeout_seconds</c>); null keeps the global <c>-t</c>.</param>
/// <param name="Command">A command run to stop it instead of the signal (<c>command</c>); null for none.</param>
public sealed record ShutdownSpec(int? Signal, TimeSpan? Timeout, string? Command)
{
    /// <summary>Nothing set.</summary>
    public static ShutdownSpec Inherit { get; } = new(null, null, null);
}

/// <summary>The <c>watch</c> key: files whose change restarts the type (rolling, with its readiness gate).</summary>
/// <param name="Paths">Paths or globs, relative to the app root (<c>paths</c>, or the key's list form).</param>
/// <param name="Ignore">Globs not to watch beyond <c>.gitignore</c>, <c>.git</c>, <c>node_modules</c> and the log directory (<c>ignore</c>).</param>
/// <param name="RestartDependents">Also restart the types that depend on this one (<c>restart_dependents</c>).</param>
public sealed record WatchSpec(IReadOnlyList<string> Paths, IReadOnlyList<string> Ignore, bool RestartDependents);
