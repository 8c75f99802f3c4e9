using System.CommandLine;
using Drover.Cli.Commands;

namespace Drover.Cli;

/// <summary>The command tree. Each command lives in its own file under Commands/.</summary>
internal static class CliApp
{
    /// <summary>Drover's version, as --version prints it.</summary>
    public static string Version { get; } =
        typeof(CliApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "Drover: a process manager for Procfile-based (Twelve-Factor) apps.\n\n" + ExitCodes.Help)
        {
            StartCommand.Create(),
            RunCommand.Create(),
            CheckCommand.Create(),
            ExportCommand.Create(),
            ControlCommands.Ps(),
            ControlCommands.Scale(),
            ControlCommands.Restart(),
            ControlCommands.Stop(),
            LogsCommand.Create(),
            AttachCommand.Create(),
            TuiCommand.Create(),
            ControlCommands.Reload(),
            DashboardCommand.Create(),
            AgentCommand.Create(),
            ClusterCommand.Create(),
            VersionCommand(),
        };
        // Foreman's spellings: `foreman -v`, `foreman version`, `foreman help start`.
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Aliases.Add("-v");
        }
        root.Subcommands.Add(HelpCommand(root));
        // Without a width the help asks Console.WindowWidth, which initialises the terminal and leaves it in
        // keypad-transmit mode (see StandardStreams); $COLUMNS, as shells export it, else 80, asks nothing.
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            help.Action = new System.CommandLine.Help.HelpAction { MaxWidth = HelpWidth() };
        }
        var parse = root.Parse(RunCommand.SeparateCommand(args));
        var errors = parse.Errors.Select(e => e.Message).Concat(UnknownOptions(parse)).ToList();
        if (errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync($"drover: {error}");
            }
            await Console.Error.WriteLineAsync("Run 'drover --help' for usage.");
            return ExitCodes.Usage;
        }
        // Drover handles SIGINT/SIGTERM itself (graceful stop, then kill); the library must not.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static int HelpWidth() =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns is > 20 and < 1000 ? columns : 80;

    private static Command VersionCommand()
    {
        var command = new Command("version", "Print Drover's version (also -v, --version).");
        command.SetAction(_ => Console.WriteLine(Version));
        return command;
    }

    /// <summary>`drover help [COMMAND]`: the same as `drover [COMMAND] --help`.</summary>
    private static Command HelpCommand(RootCommand root)
    {
        var words = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "the command to describe" };
        var command = new Command("help", "Print the help of Drover or of one command, e.g. `drover help start`.") { words };
        command.SetAction(parse => root.Parse([.. parse.GetValue(words) ?? [], "--help"]).Invoke());
        return command;
    }

    /// <summary>
    /// Words that look like options but that no option of the command claimed: the parser would hand them to the
    /// command's arguments (`drover start --watch` as a process type). Words after `--` are arguments by request.
    /// </summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parse)
    {
        var afterDoubleDash = new HashSet<object>(
            parse.Tokens.SkipWhile(t => t.Type != System.CommandLine.Parsing.TokenType.DoubleDash),
            ReferenceEqualityComparer.Instance);
        return parse.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>()
            .SelectMany(a => a.Tokens)
            .Where(t => t.Value.Length > 1 && t.Value[0] == '-' && !afterDoubleDash.Contains(t))
            .Select(t => $"unknown option '{t.Value}' for `drover {parse.CommandResult.Command.Name}`; see `drover {parse.CommandResult.Command.Name} --help`");
    }
}
