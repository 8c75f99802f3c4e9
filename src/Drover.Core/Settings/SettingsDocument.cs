namespace Drover.Core.Settings;

/// <summary>The per-type settings of an app, by type name; empty when the app has no settings file.</summary>
/// <param name="Path">The settings file, or null when there is none.</param>
/// <param name="Types">The settings of each type the file names, in file order.</param>
public sealed record SettingsDocument(string? Path, IReadOnlyList<TypeSettings> Types)
{
    /// <summary>No settings file: every type has the defaults.</summary>
    public static SettingsDocument Empty { get; } = new(null, []);

    /// <summary>The file's top-level <c>environment</c>, laid over the app's for every type, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>The settings of <paramref name="type"/>, or its defaults when the file does not name it.</summary>
    public TypeSettings For(string type) =>
        Types.FirstOrDefault(t => t.Type == type) ?? TypeSettings.Default(type);
}
