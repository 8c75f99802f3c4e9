namespace Drover.Core.Diagnostics;

/// <summary>
/// A problem found in user input, located precisely enough to fix it without guessing.
/// </summary>
/// <param name="File">The file the input came from, as the user named it (or a pseudo-name such as <c>-m</c>).</param>
/// <param name="Line">1-based line, or 0 when the problem is about the whole file.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
/// <param name="Message">What is wrong, quoting the offending text.</param>
public sealed record Diagnostic(string File, int Line, int Column, string Message)
{
    /// <summary>Formats as <c>file:line:column: message</c>, the convention compilers use and editors jump to.</summary>
    public override string ToString() => Line switch
    {
        0 => $"{File}: {Message}",
        _ when Column == 0 => $"{File}:{Line}: {Message}",
        _ => $"{File}:{Line}:{Column}: {Message}",
    };
}
