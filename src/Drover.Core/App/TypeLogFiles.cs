using Drover.Core.Settings;
using Drover.Core.Settings.Parsing;

namespace Drover.Core.App;

/// <summary>
/// The types' own log files (<c>log_location</c> in the settings file). <c>drover logs</c> finds them the way
/// <c>drover start</c> does, from the app's settings file, so they are searched with no Drover running.
/// </summary>
public static class TypeLogFiles
{
    /// <summary>Each type with a <c>log_location</c>, to its file (absolute).</summary>
    public static IReadOnlyDictionary<string, string> Of(SettingsDocument settings) =>
        settings.Types.Where(t => t.LogLocation is not null)
            .ToDictionary(t => t.Type, t => t.LogLocation!.Path, StringComparer.Ordinal);

    /// <summary>The type files of the settings file <c>drover start</c> would read for <paramref name="settings"/>;
    /// none when there is no settings file or it does not parse (start reports that).</summary>
    public static IReadOnlyDictionary<string, string> Find(AppSettings settings, string currentDirectory)
    {
        string procfile = AppLocator.ProcfilePath(settings, currentDirectory);
        string? path = SettingsLoader.PathFor(settings, procfile, currentDirectory);
        if (path is null || !File.Exists(path))
        {
            return new Dictionary<string, string>();
        }
        var document = SettingsParser.Load(path);
        return document.Ok ? Of(document.Value) : new Dictionary<string, string>();
    }
}
