using System.Collections;
using System.CommandLine;
using Drover.Core.App;
using Drover.Core.Diagnostics;

namespace Drover.Cli.Commands;

/// <summary>The options every command that reads an app shares: -f, -e, -d.</summary>
internal sealed class AppOptions
{
    public Option<string?> Procfile { get; } = new("--procfile", "-f")
    {
        Description = "Procfile to read (default: ./Procfile)",
        HelpName = "file",
    };

    public Option<string[]> Env { get; } = new("--env", "-e")
    {
        Description = "env file(s) to load, in order, later ones winning; repeat or separate with commas (default: .env in the app root, if present)",
        HelpName = "file",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Root { get; } = new("--root", "-d")
    {
        Description = "app root: the processes' working directory (default: the Procfile's folder)",
        HelpName = "dir",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Procfile);
        command.Options.Add(Env);
        command.Options.Add(Root);
    }

    /// <summary>Loads the app, printing every problem on stderr; null when there were problems.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="procfileRequired">False when a missing or broken Procfile is not an error (`drover run`).</param>
    public LoadedApp? Load(ParseResult parse, bool procfileRequired = true)
    {
        var settings = new AppSettings(parse.GetValue(Procfile), parse.GetValue(Env) ?? [], parse.GetValue(Root));
        var result = AppLoader.Load(settings, Directory.GetCurrentDirectory(), OsEnvironment(), procfileRequired);
        if (!Report(result))
        {
            return null;
        }
        Warn(result.Value);
        return result.Value;
    }

    /// <summary>Prints the warnings found while loading <paramref name="app"/> on stderr.</summary>
    public static void Warn(LoadedApp app)
    {
        foreach (var warning in app.Warnings)
        {
            Console.Error.WriteLine($"drover: {warning}");
        }
    }

    /// <summary>Prints the errors of <paramref name="result"/>, if any; true when it succeeded.</summary>
    public static bool Report<T>(Result<T> result)
    {
        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine($"drover: {error}");
        }
        return result.Ok;
    }

    /// <summary>The OS environment as a dictionary.</summary>
    public static Dictionary<string, string> OsEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = (string?)e.Value ?? "";
        }
        return env;
    }
}
