namespace Drover.Tui.View;

/// <summary>
/// The escape sequences the screen uses. Without color (NO_COLOR, --no-color) only bold and reverse video remain,
/// which are not colors: the selection and the bars stay visible.
/// </summary>
internal sealed class Styles(bool color)
{
    public const string Reset = "\u001b[0m";
    public const string Bold = "\u001b[1m";
    public const string Reverse = "\u001b[7m";

    public bool Color => color;

    /// <summary>The color of a state, or nothing without color.</summary>
    public string State(string state) => !color ? "" : state switch
    {
        "running" => "\u001b[32m",
        "pending" => "\u001b[36m",
        "stopping" => "\u001b[33m",
        "backoff" or "exited" or "given-up" => "\u001b[31m",
        "waiting" => "\u001b[35m",
        _ => "",
    };

    /// <summary>The log pane's bar.</summary>
    public string Bar => color ? "\u001b[1;36m" : Bold;
}
