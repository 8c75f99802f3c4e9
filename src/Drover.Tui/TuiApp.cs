using System.Runtime.InteropServices;
using Drover.Control;
using Drover.Tui.Terminal;

namespace Drover.Tui;

/// <summary>
/// <c>drover tui</c> and <c>drover start --tui</c>: a full-screen view of a running formation over its control
/// socket (docs/tui.md). The terminal is given back as it was on every way out: q, Ctrl-C, SIGINT/SIGTERM/SIGHUP,
/// the formation ending, the terminal closing, an exception.
/// </summary>
public static class TuiApp
{
    /// <summary>Runs the UI; returns the exit code (0: quit or the formation ended; 1: nothing to attach to or no terminal).</summary>
    /// <param name="options">What to attach to.</param>
    /// <param name="error">Where the UI's last words go, after the terminal is restored.</param>
    public static async Task<int> RunAsync(TuiOptions options, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(error);
        using var client = await ConnectAsync(options);
        if (client is null)
        {
            await error.WriteLineAsync($"drover: no Drover answers on {options.SocketPath}");
            return 1;
        }
        using var screen = TerminalScreen.Open();
        if (screen is null)
        {
            await error.WriteLineAsync("drover: the terminal UI needs a terminal on stdin and stdout");
            return 1;
        }
        void RestoreOnCrash(object? sender, UnhandledExceptionEventArgs e) => screen.Dispose();
        AppDomain.CurrentDomain.UnhandledException += RestoreOnCrash;
        using var loop = new TuiLoop(options, client, screen);
        var signals = new List<PosixSignalRegistration>
        {
            PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => loop.Resized()),
        };
        // Under `start --tui` these signals stop the formation (its own handlers), whose end then ends the UI.
        if (options.StopFormation is null)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            {
                signals.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true;
                    screen.Dispose();
                    loop.Quit();
                }));
            }
        }
        try
        {
            using var keys = new KeyReader(k => loop.Post(() => loop.OnKeys(k)), loop.Quit);
            await loop.RunAsync(keys);
        }
        finally
        {
            screen.Dispose();
            foreach (var registration in signals)
            {
                registration.Dispose();
            }
            AppDomain.CurrentDomain.UnhandledException -= RestoreOnCrash;
        }
        if (loop.Ended is { } why)
        {
            await error.WriteLineAsync($"drover: {why}");
        }
        else if (options.StopFormation is { } stop)
        {
            stop();
        }
        return 0;
    }

    private static async Task<ControlClient?> ConnectAsync(TuiOptions options)
    {
        var deadline = DateTimeOffset.UtcNow + options.ConnectPatience;
        while (true)
        {
            if (ControlClient.Connect(options.SocketPath, options.OwnUid) is { } client)
            {
                return client;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                return null;
            }
            await Task.Delay(50);
        }
    }
}
