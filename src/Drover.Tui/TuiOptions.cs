namespace Drover.Tui;

/// <summary>What the terminal UI attaches to, and how it ends.</summary>
/// <param name="SocketPath">The formation's control socket.</param>
/// <param name="OwnUid">This user's id: the socket must be answered by this user or root.</param>
/// <param name="AppName">Shown in the title line.</param>
/// <param name="Color">Whether to use colors (NO_COLOR and --no-color decided already).</param>
public sealed record TuiOptions(string SocketPath, uint OwnUid, string AppName, bool Color)
{
    /// <summary>
    /// Set by <c>drover start --tui</c>: quitting the UI stops the formation (as Ctrl-C would), so q asks first.
    /// Null for <c>drover tui</c>, whose quitting leaves the formation running.
    /// </summary>
    public Action? StopFormation { get; init; }

    /// <summary>
    /// How long to keep trying to reach the control socket: <c>start --tui</c> starts before the control server
    /// answers.
    /// </summary>
    public TimeSpan ConnectPatience { get; init; } = TimeSpan.Zero;

    /// <summary>Redraws at most this often (a busy log changes the screen all the time).</summary>
    public TimeSpan FrameInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Log lines kept in the pane.</summary>
    public int LogCapacity { get; init; } = 10_000;
}
