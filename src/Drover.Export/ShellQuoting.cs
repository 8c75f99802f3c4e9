namespace Drover.Export;

/// <summary>Quoting for POSIX <c>sh</c>.</summary>
public static class ShellQuoting
{
    /// <summary>
    /// Quotes <paramref name="text"/> as one word for <c>sh</c> (and Python's <c>shlex.split</c>): single quotes,
    /// inside which nothing is special, with each <c>'</c> written as <c>'\''</c>.
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
