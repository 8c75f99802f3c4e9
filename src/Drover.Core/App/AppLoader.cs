using Drover.Core.Diagnostics;
using Drover.Core.Procfile;

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
    public static Result<LoadedApp> Load(
        AppSettings settings, string currentDirectory, IReadOnlyDictionary<string, string> osEnvironment)
    {
        string procfilePath = AppLocator.ProcfilePath(settings, currentDirectory);
        string root = AppLocator.Root(settings, currentDirectory);

        var errors = new List<Diagnostic>();
        if (!Directory.Exists(root))
        {
            errors.Add(new Diagnostic(root, 0, 0, "app root is not a directory"));
        }

        var procfile = ProcfileParser.Load(procfilePath);
        errors.AddRange(procfile.Errors);

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
        return Result<LoadedApp>.Success(new LoadedApp(procfile.Value, root, envFiles, fileEnv, env) { Warnings = scope.Warnings });
    }
}
