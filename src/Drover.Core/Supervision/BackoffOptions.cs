namespace Drover.Core.Supervision;

/// <summary>Restart delays: first restart at once, then <see cref="Initial"/> doubling up to <see cref="Max"/>.</summary>
/// <param name="Initial">The delay before the second consecutive restart.</param>
/// <param name="Max">The cap.</param>
/// <param name="ResetAfter">A process that stayed up this long starts over with an immediate restart.</param>
public sealed record BackoffOptions(TimeSpan Initial, TimeSpan Max, TimeSpan ResetAfter)
{
    /// <summary>100 ms doubling to 30 s, reset after 10 s of uptime (see DESIGN.md).</summary>
    public static BackoffOptions Default { get; } =
        new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

    /// <summary>Every restart waits <see cref="Initial"/>, the first one too (a type's <c>backoff_seconds</c>, docs/settings.md).</summary>
    public bool Fixed { get; init; }
}
