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
            ControlCommands.Reload(),
            DashboardCommand.Create(),
            AgentCommand.Create(),
            ClusterCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"drover: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Run 'drover --help' for usage.");
            return ExitCodes.Usage;
        }
        // Drover handles SIGINT/SIGTERM itself (graceful stop, then kill); the library must not.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
