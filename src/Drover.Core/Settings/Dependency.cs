namespace Drover.Core.Settings;

/// <summary>One entry of <c>depends_on</c>: this type's first start waits until <paramref name="Type"/> meets <paramref name="Condition"/>.</summary>
/// <param name="Type">The process type depended on.</param>
/// <param name="Condition">What it must reach.</param>
/// <param name="Source">Where it was written, for messages (unknown type, cycle).</param>
public sealed record Dependency(string Type, DependencyCondition Condition, SettingsSource? Source = null);

/// <summary>process-compose's <c>condition</c> values.</summary>
public enum DependencyCondition
{
    /// <summary><c>process_started</c>: every instance of it has started.</summary>
    Started,

    /// <summary><c>process_healthy</c>: every instance of it is ready (its readiness probe passed).</summary>
    Healthy,

    /// <summary><c>process_completed</c>: every instance of it has exited, with any code.</summary>
    Completed,

    /// <summary><c>process_completed_successfully</c>: every instance of it has exited 0 (a migration).</summary>
    CompletedSuccessfully,

    /// <summary><c>process_log_ready</c>: every instance of it has printed its <c>ready_log_line</c>.</summary>
    LogReady,
}
