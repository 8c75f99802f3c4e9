using Drover.Core.Diagnostics;
using Drover.Core.Procfile;
using Drover.Core.Settings;
using Drover.Core.Settings.Parsing;

namespace Drover.Core.App;

/// <summary>
/// The settings file's part of loading an app (docs/settings.md): which file, the Procfile it stands in for when
/// <c>-f</c> names it, its checks against the app's types, and each type's environment overlay.
/// </summary>
internal static class SettingsLoader
{
    /// <summary>The settings file found beside the Procfile when none is named.</summary>
    public const string DefaultFileName = "drover.yaml";

    /// <summary>True when <paramref name="path"/> names a settings file (<c>.yaml</c>/<c>.yml</c>) rather than a Procfile.</summary>
    public static bool IsSettingsFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The settings file to read: <c>-f</c> when it is one, else <c>--settings</c>, else <c>drover.yaml</c> beside
    /// the Procfile when it exists; null when there is none.
    /// </summary>
    public static string? PathFor(AppSettings settings, string procfilePath, string currentDirectory)
    {
        if (IsSettingsFile(procfilePath))
        {
            return procfilePath;
        }
        if (settings.SettingsFile is string named)
        {
            return Path.GetFullPath(named, currentDirectory);
        }
        string beside = Path.Combine(Path.GetDirectoryName(procfilePath)!, DefaultFileName);
        return File.Exists(beside) ? beside : null;
    }

    /// <summary>The process types of a settings file that gives the commands (<c>-f process-compose.yaml</c>).</summary>
    public static ProcfileDocument AsProcfile(SettingsDocument settings, List<Diagnostic> errors)
    {
        var types = new List<ProcessType>();
        foreach (var type in settings.Types)
        {
            if (string.IsNullOrWhiteSpace(type.Command))
            {
                errors.Add(At(type.Source, settings, $"process '{type.Type}' has no command"));
                continue;
            }
            types.Add(new ProcessType(type.Type, type.Command, type.Source?.Line ?? 0));
        }
        if (types.Count == 0 && errors.Count == 0)
        {
            errors.Add(new Diagnostic(settings.Path!, 0, 0, "no processes: add some under 'processes:'"));
        }
        return new ProcfileDocument(settings.Path!, types);
    }

    /// <summary>
    /// Checks a settings file that sits beside a Procfile: every type it names is in the Procfile, the Procfile's
    /// command wins over the file's (a warning), dependencies name known types and make no cycle.
    /// </summary>
    public static void Check(SettingsDocument settings, ProcfileDocument procfile, bool commandsFromSettings,
        List<Diagnostic> errors, List<Diagnostic> warnings)
    {
        var names = procfile.Types.Select(t => t.Name).ToList();
        if (!commandsFromSettings)
        {
            foreach (var type in settings.Types)
            {
                if (procfile.IndexOf(type.Type) < 0)
                {
                    errors.Add(At(type.Source, settings,
                        $"process type '{type.Type}' is not in the Procfile {procfile.File} (it defines: {string.Join(", ", names)}); the Procfile gives the types and their commands"));
                }
                else if (type.Command is not null)
                {
                    warnings.Add(At(type.Source, settings,
                        $"warning: {type.Type}.command is ignored: the Procfile gives {type.Type}'s command"));
                }
            }
        }
        errors.AddRange(DependencyGraph.Check(settings, names));
    }

    /// <summary>
    /// What each type's environment gets on top of the app's: the file's top-level <c>environment</c>, then the
    /// type's <c>env_file</c>s, then its <c>environment</c>. An env file is relative to the type's
    /// <c>working_dir</c> when it has one (as in process-compose), else to the settings file's folder.
    /// </summary>
    public static Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>> Environments(
        SettingsDocument settings, string root, IReadOnlyDictionary<string, string> appEnvironment, List<Diagnostic> errors)
    {
        var result = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        string settingsFolder = Path.GetDirectoryName(settings.Path!)!;
        foreach (var type in settings.Types)
        {
            var overlay = new List<KeyValuePair<string, string>>(settings.Environment);
            string fileBase = type.WorkingDirectory is string dir ? Path.GetFullPath(dir, root) : settingsFolder;
            foreach (string file in type.EnvFiles)
            {
                var scope = new EnvScope(appEnvironment.GetValueOrDefault);
                var parsed = DotEnvParser.Load(Path.GetFullPath(file, fileBase), scope);
                if (!parsed.Ok)
                {
                    errors.AddRange(parsed.Errors.Select(e => e.Line == 0
                        ? e with { Message = $"{e.Message} (env_file of {type.Type} in {settings.Path}:{type.Source?.Line})" }
                        : e));
                    continue;
                }
                overlay.AddRange(parsed.Value);
            }
            overlay.AddRange(type.Environment);
            result[type.Type] = overlay;
        }
        return result;
    }

    private static Diagnostic At(SettingsSource? source, SettingsDocument settings, string message) =>
        new(source?.File ?? settings.Path ?? "settings", source?.Line ?? 0, 0, message);
}
