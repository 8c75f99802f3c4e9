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
        Description = "Procfile to read (default: ./Procfile); a .yaml/.yml file is a settings file that also gives the commands (process-compose.yaml)",
        HelpName = "file",
    };

    public Option<string?> SettingsFile { get; } = new("--settings")
    {
        Description = "per-type settings file (docs/settings.md; default: drover.yaml beside the Procfile, if present); `-f FILE.yaml` reads a process-compose.yaml for the commands too",
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

    /// <summary>The defaults from <c>.foreman</c> in the current directory, once <see cref="LoadDefaults"/> ran.</summary>
    public ForemanDefaults Defaults { get; private set; } = ForemanDefaults.None;

    /// <summary>Reads <c>.foreman</c> (printing its warnings); false, with the errors printed, when it is invalid.</summary>
    public bool LoadDefaults()
    {
        var defaults = ForemanDefaults.Load(Directory.GetCurrentDirectory());
        if (!Report(defaults))
        {
            return false;
        }
        Defaults = defaults.Value;
        foreach (var warning in Defaults.Warnings)
        {
            Console.Error.WriteLine($"drover: {warning}");
        }
        return true;
    }

    /// <summary>The files to read: the command line's -f, -e, -d, else the <c>.foreman</c> defaults.</summary>
    public AppSettings Settings(ParseResult parse) => Defaults.Fill(GivenSettings(parse));

    /// <summary>The files as the command line names them, without the <c>.foreman</c> defaults.</summary>
    public AppSettings GivenSettings(ParseResult parse) =>
        new(parse.GetValue(Procfile), parse.GetValue(Env) ?? [], parse.GetValue(Root)) { SettingsFile = parse.GetValue(SettingsFile) };

    /// <summary>
    /// Loads the app and plans its formation through the one planner in Core, with the <c>.foreman</c> defaults
    /// (<see cref="LoadDefaults"/> must have run); prints warnings, and errors on failure.
    /// </summary>
    public Result<AppPlan> Plan(PlanRequest request)
    {
        var plan = AppPlanner.Plan(request.WithDefaults(Defaults), Directory.GetCurrentDirectory(), OsEnvironment());
        if (plan.Ok)
        {
            Warn(plan.Value.App);
        }
        return plan;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Procfile);
        command.Options.Add(Env);
        command.Options.Add(Root);
        command.Options.Add(SettingsFile);
    }

    /// <summary>Loads the app, printing every problem on stderr; null when there were problems.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="procfileRequired">False when a missing or broken Procfile is not an error (`drover run`).</param>
    public LoadedApp? Load(ParseResult parse, bool procfileRequired = true)
    {
        if (!LoadDefaults())
        {
            return null;
        }
        var result = AppLoader.Load(Settings(parse), Directory.GetCurrentDirectory(), OsEnvironment(), procfileRequired);
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
