using Drover.Core.Diagnostics;
using Drover.Core.Procfile;
using Drover.Core.Settings;
using Drover.Core.Settings.Parsing;

namespace Drover.Core.App;

/// <summary>Reads the Procfile and env files the way Foreman does, reporting every problem at once.</summary>
public static class AppLoader
{
    /// <summary>The default env file name, read from the app root when present.</summary>
    public const string DefaultEnvFile = ".env";

    /// <summary>
    /// Loads the app described by <paramref name="settings"/>, relative to <paramref name="currentDirectory"/>,
    /// on top of <paramref name="osEnvironment"/>. Env files override the OS environment.
    /// </summary>
    /// <param name="settings">The files as the user named them.</param>
    /// <param name="currentDirectory">What relative paths are relative to.</param>
    /// <param name="osEnvironment">The environment the env files are laid over.</param>
    /// <param name="procfileRequired">
    /// False for `drover run` of a command: a missing or broken Procfile is then no error; the app gets no types
    /// and the Procfile's problems in <see cref="LoadedApp.ProcfileProblems"/>.
    /// </param>
    public static Result<LoadedApp> Load(
        AppSettings settings, string currentDirectory, IReadOnlyDictionary<string, string> osEnvironment,
        bool procfileRequired = true)
    {
        string procfilePath = AppLocator.ProcfilePath(settings, currentDirectory);
        string root = AppLocator.Root(settings, currentDirectory);

        var errors = new List<Diagnostic>();
        if (!Directory.Exists(root))
        {
            errors.Add(new Diagnostic(root, 0, 0, "app root is not a directory"));
        }

        // A settings file named by -f gives the commands too (docs/settings.md); otherwise it sits beside the Procfile.
        bool commandsFromSettings = SettingsLoader.IsSettingsFile(procfilePath);
        string? settingsPath = SettingsLoader.PathFor(settings, procfilePath, currentDirectory);
        var settingsErrors = new List<Diagnostic>();
        var settingsWarnings = new List<Diagnostic>();
        var typeSettings = SettingsDocument.Empty;
        if (settingsPath is not null)
        {
            var parsedSettings = SettingsParser.Load(settingsPath);
            settingsErrors.AddRange(parsedSettings.Errors);
            typeSettings = parsedSettings.Ok ? parsedSettings.Value : SettingsDocument.Empty;
        }
        var procfile = commandsFromSettings
            ? (settingsErrors.Count > 0
                ? Result<ProcfileDocument>.Failure(settingsErrors)
                : Result<ProcfileDocument>.Success(SettingsLoader.AsProcfile(typeSettings, settingsErrors)))
            : ProcfileParser.Load(procfilePath);
        if (procfile.Ok && settingsErrors.Count == 0 && settingsPath is not null)
        {
            SettingsLoader.Check(typeSettings, procfile.Value, commandsFromSettings, settingsErrors, settingsWarnings);
        }
        if (procfileRequired)
        {
            errors.AddRange(commandsFromSettings ? settingsErrors.Distinct() : procfile.Errors.Concat(settingsErrors));
        }

        var envFiles = settings.EnvFiles
            .SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(f => Path.GetFullPath(f, currentDirectory))
            .ToList();
        if (settings.EnvFiles.Count == 0)
        {
            string defaultEnv = Path.Combine(root, DefaultEnvFile);
            if (File.Exists(defaultEnv))
            {
                envFiles.Add(defaultEnv);
            }
        }

        var fileEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        // One scope for every file: later files may refer to variables of earlier ones, then to the OS
        // environment, and the expansion bounds hold for all of them together.
        var scope = new EnvScope(osEnvironment.GetValueOrDefault);
        foreach (string file in envFiles)
        {
            var parsed = DotEnvParser.Load(file, scope);
            if (!parsed.Ok)
            {
                errors.AddRange(parsed.Errors);
                continue;
            }
            foreach (var (key, value) in parsed.Value)
            {
                fileEnv[key] = value;
            }
        }

        if (errors.Count > 0)
        {
            return Result<LoadedApp>.Failure(errors);
        }
        var env = new Dictionary<string, string>(osEnvironment, StringComparer.Ordinal);
        foreach (var (key, value) in fileEnv)
        {
            env[key] = value;
        }
        var typeEnvironments = settingsErrors.Count == 0 && settingsPath is not null
            ? SettingsLoader.Environments(typeSettings, root, env, errors)
            : [];
        if (errors.Count > 0)
        {
            return Result<LoadedApp>.Failure(errors);
        }
        bool usable = procfile.Ok && settingsErrors.Count == 0;
        return Result<LoadedApp>.Success(new LoadedApp(
            usable ? procfile.Value : new ProcfileDocument(procfilePath, []), root, envFiles, fileEnv, env)
        {
            Warnings = [.. scope.Warnings, .. settingsWarnings],
            ProcfileProblems = [.. procfile.Errors.Concat(settingsErrors).Distinct()],
            Settings = usable ? typeSettings : SettingsDocument.Empty,
            TypeEnvironments = typeEnvironments,
        });
    }
}
