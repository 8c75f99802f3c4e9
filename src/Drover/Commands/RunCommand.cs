using System.CommandLine;
using Drover.Core.Supervision;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary><c>drover run</c>: one command with the app's environment, its exit code passed through.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var app = new AppOptions();
        var commandLine = new Argument<string[]>("command")
        {
            Description = "a Procfile type name (runs its command), a shell command line as one argument, or a program and its arguments (put them after --)",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("run", "Run one command with the app's environment (env files applied) in the app root.");
        app.AddTo(command);
        command.Arguments.Add(commandLine);
        command.SetAction(parse =>
        {
            var loaded = app.Load(parse);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }
            string[] words = parse.GetValue(commandLine)!;
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
}
