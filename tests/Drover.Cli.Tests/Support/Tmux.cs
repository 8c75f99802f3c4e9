using System.Diagnostics;

namespace Drover.Cli.Tests.Support;

/// <summary>
/// A private tmux server (its own socket, no config) whose windows are real terminals: what a user sees is read
/// with capture-pane, what a user types is sent with send-keys. Killed with everything in it when disposed.
/// </summary>
internal sealed class Tmux : IDisposable
{
    private readonly string _socket = "drover-test-" + Guid.NewGuid().ToString("N")[..12];

    private Tmux()
    {
    }

    /// <summary>Starts a server with window 0 running <paramref name="command"/> (through sh) in <paramref name="cwd"/>.</summary>
    public static Tmux Start(string cwd, string command, int columns = 160, int rows = 50)
    {
        var tmux = new Tmux();
        tmux.Run("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", $"{columns}", "-y", $"{rows}", "-c", cwd, command);
        tmux.Run("set-option", "-g", "status", "off");
        // A window whose command ended stays readable, so a failure shows what it printed.
        tmux.Run("set-option", "-g", "remain-on-exit", "on");
        return tmux;
    }

    /// <summary>Opens window <paramref name="index"/> running <paramref name="command"/> in <paramref name="cwd"/>.</summary>
    public void NewWindow(int index, string cwd, string command) =>
        Run("new-window", "-d", "-t", $"t:{index}", "-c", cwd, command);

    /// <summary>The text on window <paramref name="window"/>'s screen and its history, wrapped lines joined; with escapes too if asked.</summary>
    public string Screen(int window, bool escapes = false) =>
        escapes
            ? Run("capture-pane", "-p", "-J", "-e", "-S", "-", "-t", $"t:{window}")
            : Run("capture-pane", "-p", "-J", "-S", "-", "-t", $"t:{window}");

    /// <summary>Types <paramref name="keys"/> into window <paramref name="window"/> (tmux key names such as Enter, C-c, C-]).</summary>
    public void Keys(int window, params string[] keys) => Run(["send-keys", "-t", $"t:{window}", .. keys]);

    /// <summary>Types <paramref name="text"/> literally.</summary>
    public void Type(int window, string text) => Run("send-keys", "-l", "-t", $"t:{window}", text);

    /// <summary>Resizes window 0.</summary>
    public void Resize(int columns, int rows) => Run("resize-window", "-t", "t:0", "-x", $"{columns}", "-y", $"{rows}");

    /// <summary>
    /// Waits until window <paramref name="window"/> shows <paramref name="text"/>; returns the screen then. Prefixes
    /// are compared without their padding (<c>web.1 | x</c>); tmux drops the spaces at the end of a line, so a
    /// prompt is matched without its trailing space.
    /// </summary>
    public async Task<string> ShowsAsync(int window, string text)
    {
        string screen = "";
        await Eventually.HoldsAsync(
            () => (screen = Unpadded(Screen(window))).Contains(text, StringComparison.Ordinal),
            DroverProcess.Patience,
            () => $"window {window} never showed '{text}'; it shows:\n{screen}");
        return screen;
    }

    /// <summary>The screen with each prefix's padding removed.</summary>
    public static string Unpadded(string screen) => System.Text.RegularExpressions.Regex.Replace(screen, " +\\| ", " | ");

    public string Run(params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {stderr.Result}");
        }
        return output;
    }

    public void Dispose()
    {
        try
        {
            Run("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
