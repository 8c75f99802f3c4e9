namespace Drover.Core.Output;

/// <summary>The one decision whether prefixes are colored.</summary>
public static class ColorChoice
{
    /// <summary>
    /// <c>--no-color</c> wins; then <c>--color</c> (Foreman's <c>-c</c>) forces colors; otherwise colors only on a
    /// terminal and only when <c>NO_COLOR</c> is unset or empty (no-color.org).
    /// </summary>
    /// <param name="noColor">--no-color was given.</param>
    /// <param name="forceColor">--color was given.</param>
    /// <param name="noColorVariable">The value of NO_COLOR, or null.</param>
    /// <param name="outputIsTerminal">Whether stdout is a terminal.</param>
    public static bool Decide(bool noColor, bool forceColor, string? noColorVariable, bool outputIsTerminal) =>
        !noColor && (forceColor || (string.IsNullOrEmpty(noColorVariable) && outputIsTerminal));
}
