namespace Drover.Core.App;

/// <summary>Where an app's files are, as the user gave them on the command line (all optional).</summary>
/// <param name="Procfile">The Procfile path; default <c>Procfile</c> in the current directory.</param>
/// <param name="EnvFiles">Env files in order, later ones winning; default <c>.env</c> in the app root when it exists.</param>
/// <param name="Root">The app root, where processes start; default the Procfile's folder.</param>
public sealed record AppSettings(string? Procfile, IReadOnlyList<string> EnvFiles, string? Root)
{
    /// <summary>The settings file (<c>--settings</c>); default <c>drover.yaml</c> beside the Procfile when it exists
    /// (docs/settings.md). A <see cref="Procfile"/> ending in <c>.yaml</c>/<c>.yml</c> is itself the settings file.</summary>
    public string? SettingsFile { get; init; }
}
