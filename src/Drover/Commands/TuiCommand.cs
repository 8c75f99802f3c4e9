using System.CommandLine;
using System.Runtime.CompilerServices;
using Drover.Core.Output;
using Drover.Posix;
using Drover.Tui;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover tui</c>: the terminal UI (docs/tui.md) on the formation running for this app; quitting leaves it
/// running. The UI's code is reached only through <see cref="Launch"/>, so no other command loads it.
/// </summary>
internal static class TuiCommand
{
    public static Command Create()
    {
        var connection = new ControlConnection();
        var noColor = NoColorOption();
        var command = new Command("tui", "A terminal UI on the running formation: its processes and output live, keys to scale, restart, stop, start and attach; q leaves the formation running.");
        connection.AddTo(command);
        command.Options.Add(noColor);
        command.SetAction(async parse =>
        {
            string root = connection.AppRoot(parse);
            using (var probe = connection.Connect(parse))
            {
                if (probe is null)
                {
                    return ExitCodes.Failure;
                }
            }
            int code = await Launch(ControlConnection.SocketPathFor(root), Path.GetFileName(root), Colors(parse.GetValue(noColor)), null);
            return code == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>--no-color of the UI.</summary>
    public static Option<bool> NoColorOption() => new("--no-color") { Description = "no colors in the terminal UI (also when NO_COLOR is set)" };

    /// <summary>Whether the UI uses colors: not with --no-color or NO_COLOR (it always runs on a terminal).</summary>
    public static bool Colors(bool noColor) => ColorChoice.Decide(noColor, false, Environment.GetEnvironmentVariable("NO_COLOR"), true);

    /// <summary>
    /// Runs the UI on the control socket at <paramref name="socketPath"/>. With <paramref name="stopFormation"/>
    /// (<c>start --tui</c>) it waits for the control server to answer, and quitting calls it. Not inlined, and its
    /// signature names no UI type: the UI's assembly is loaded only when this runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<int> Launch(string socketPath, string appName, bool color, Action? stopFormation) =>
        TuiApp.RunAsync(
            new TuiOptions(socketPath, UserIdentity.Uid(), appName, color)
            {
                StopFormation = stopFormation,
                ConnectPatience = stopFormation is null ? TimeSpan.Zero : TimeSpan.FromSeconds(30),
            },
            Console.Error);
}
