using Drover.Core.Supervision;

namespace Drover.Core.App;

/// <summary>
/// What the user asked for: the app's files, the formation (<c>-m</c>), the base port (<c>-p</c>) and the types
/// named on the command line. Null means "not given" (then <c>.foreman</c>, then the built-in default decides).
/// </summary>
/// <param name="Settings">The Procfile, env files and app root as given.</param>
/// <param name="Formation">The <c>-m</c> value, e.g. <c>web=2,worker=1</c>.</param>
/// <param name="Port">The <c>-p</c> value.</param>
/// <param name="Types">Only these types run (<c>drover start web</c>); empty for every type.</param>
public sealed record PlanRequest(AppSettings Settings, string? Formation, int? Port, IReadOnlyList<string> Types)
{
    /// <summary>The restart delays the planned instances use.</summary>
    public BackoffOptions Backoff { get; init; } = BackoffOptions.Default;

    /// <summary>This request with what it leaves unset taken from <paramref name="defaults"/> (a <c>.foreman</c> file).</summary>
    public PlanRequest WithDefaults(ForemanDefaults defaults) => this with
    {
        Settings = defaults.Fill(Settings),
        Formation = Formation ?? defaults.Formation,
        Port = Port ?? defaults.Port,
    };
}
