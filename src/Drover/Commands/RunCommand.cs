using System.CommandLine;
using System.Text.RegularExpressions;
using Drover.Core.App;
using Drover.Core.Supervision;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary><c>drover run</c>: one command with the app's environment, its exit code passed through.</summary>
internal static partial class RunCommand
{
    // The options of `run` that take a value in the next word; everything else starting with '-' is a flag.
    private static readonly HashSet<string> OptionsWithValue = new(StringComparer.Ordinal)
    {
        "-f", "--procfile", "-e", "--env", "-d", "--root",
    };

    public static Command Create()
    {
        var app = new AppOptions();
        var commandLine = new Argument<string[]>("command")
        {
            Description = "a Procfile type name (runs its command), a shell command line as one argument, or a program and its arguments (every word after the program is its own; `--` before it is accepted)",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("run", "Run one command with the app's environment (env files applied) in the app root. Needs a Procfile only to run a type's command.");
        app.AddTo(command);
        command.Arguments.Add(commandLine);
        command.SetAction(parse =>
        {
            var loaded = app.Load(parse, procfileRequired: false);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }
            string[] words = parse.GetValue(commandLine)!;
            if (words.Length == 1 && !CheckProcfileFor(words[0], loaded))
            {
                return ExitCodes.Usage;
            }
            // One word: a Procfile type or a shell command line. Several: exec them as given, no re-splitting.
            string[] argv = words.Length == 1
                ? ["/bin/sh", "-c", loaded.Procfile.Find(words[0])?.Command ?? words[0]]
                : words;
            try
            {
                return ForegroundRunner.Run(argv, loaded.Environment, loaded.Root).ShellCode;
            }
            catch (LaunchException e)
            {
                Console.Error.WriteLine($"drover: {e.Message}");
                return 127;
            }
        });
        return command;
    }

    /// <summary>
    /// Makes every word from the command's first one on belong to the command, as Foreman does:
    /// <c>drover run grep -e FOO .env</c> becomes <c>drover run -- grep -e FOO .env</c>. Only `run` is touched;
    /// a <c>--</c> the user wrote is kept.
    /// </summary>
    public static string[] SeparateCommand(string[] args)
    {
        if (args.Length == 0 || args[0] != "run")
        {
            return args;
        }
        for (int i = 1; i < args.Length; i++)
        {
            string word = args[i];
            if (word == "--")
            {
                return args;
            }
            if (OptionsWithValue.Contains(word))
            {
                i++; // its value
                continue;
            }
            if (word.StartsWith('-') && word.Length > 1)
            {
                continue; // a flag (--help), an attached value (--env=x, -fx), or an unknown option the parser reports
            }
            return [.. args[..i], "--", .. args[i..]];
        }
        return args;
    }

    /// <summary>
    /// A single word may name a type, which needs the Procfile. A missing Procfile is fine for a command; a broken
    /// one is an error only when the word is one of its type names, and otherwise a one-line warning.
    /// </summary>
    private static bool CheckProcfileFor(string word, LoadedApp loaded)
    {
        var problems = loaded.ProcfileProblems;
        if (problems.Count == 0 || !File.Exists(loaded.Procfile.File))
        {
            return true;
        }
        if (NamesATypeIn(word, loaded.Procfile.File))
        {
            Console.Error.WriteLine($"drover: `drover run {word}` runs the Procfile's '{word}' command, but the Procfile has problems:");
            AppOptions.Report(Core.Diagnostics.Result<int>.Failure(problems));
            return false;
        }
        Console.Error.WriteLine($"drover: warning: ignoring {loaded.Procfile.File}, which has {problems.Count} problem(s) (`drover check` lists them); `run` of a command does not need it");
        return true;
    }

    private static bool NamesATypeIn(string word, string procfile)
    {
        if (!TypeName().IsMatch(word))
        {
            return false;
        }
        try
        {
            return File.ReadLines(procfile).Any(line => line.TrimStart().StartsWith(word, StringComparison.Ordinal)
                && line.TrimStart()[word.Length..].TrimStart().StartsWith(':'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TypeName();
}
