using Drover.Core.Procfile;

namespace Drover.Core.App;

/// <summary>A loaded app: its process types, its root and the environment every process starts from.</summary>
/// <param name="Procfile">The parsed Procfile.</param>
/// <param name="Root">Absolute app root.</param>
/// <param name="EnvFiles">The env files that were read, in order.</param>
/// <param name="FileEnvironment">Only the variables the env files define (for messages that must not print values).</param>
/// <param name="Environment">The OS environment overlaid by the env files.</param>
public sealed record LoadedApp(
    ProcfileDocument Procfile,
    string Root,
    IReadOnlyList<string> EnvFiles,
    IReadOnlyDictionary<string, string> FileEnvironment,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Problems that do not stop the app (an undefined <c>${NAME}</c>), to be shown to the user.</summary>
    public IReadOnlyList<Diagnostics.Diagnostic> Warnings { get; init; } = [];

    /// <summary>
    /// Why the Procfile could not be read, when it was loaded as optional (then <see cref="Procfile"/> has no
    /// types); empty otherwise.
    /// </summary>
    public IReadOnlyList<Diagnostics.Diagnostic> ProcfileProblems { get; init; } = [];

    /// <summary>The per-type settings (docs/settings.md); empty without a settings file.</summary>
    public Settings.SettingsDocument Settings { get; init; } = Core.Settings.SettingsDocument.Empty;

    /// <summary>
    /// What the settings file adds to each type's environment, in order (its top-level <c>environment</c>, the
    /// type's <c>env_file</c>s, the type's <c>environment</c>); a type not listed gets the top-level one only.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> TypeEnvironments { get; init; } =
        new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>();
}
