using System.Text;

namespace Drover.Export.Supervisord;

/// <summary>
/// Quoting for supervisord 4 configuration values. The file is read by Python's configparser with inline
/// comments (whitespace followed by <c>;</c> or <c>#</c> ends the value), then <c>%(name)s</c> expansions are
/// applied (<c>%%</c> is a literal <c>%</c>); <c>command</c> is split with <c>shlex.split</c>, and
/// <c>environment</c> with a non-POSIX <c>shlex</c> that keeps quotes, has no escapes, and strips every quote
/// character from both ends of a value.
/// </summary>
internal static class SupervisordQuoting
{
    /// <summary>
    /// A shell-quoted word for <c>command=</c>. Where whitespace is followed by <c>;</c> or <c>#</c>, the quote is
    /// closed and reopened between them (<c>' '';'</c>), which is the same word to shlex but no comment to
    /// configparser.
    /// </summary>
    public static string CommandWord(string text)
    {
        string quoted = ShellQuoting.Quote(text);
        var sb = new StringBuilder(quoted.Length + 8);
        for (int i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] is ';' or '#' && i > 0 && char.IsWhiteSpace(quoted[i - 1]))
            {
                sb.Append("''");
            }
            sb.Append(quoted[i]);
        }
        return Percent(sb.ToString());
    }

    /// <summary>A literal in any value: <c>%</c> doubled so supervisord's expansion leaves it alone.</summary>
    public static string Percent(string text) => text.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>
    /// <c>KEY="value"</c> (or single quotes when the value has a double quote) for <c>environment=</c>, or null
    /// when supervisord cannot read the value back exactly: see <see cref="Problem"/>.
    /// </summary>
    public static string? EnvironmentPair(string key, string value)
    {
        if (Problem(value) is not null)
        {
            return null;
        }
        char quote = value.Contains('"', StringComparison.Ordinal) ? '\'' : '"';
        return $"{key}={quote}{Percent(value)}{quote}";
    }

    /// <summary>Why supervisord's <c>environment=</c> cannot carry <paramref name="value"/>, or null when it can.</summary>
    public static string? Problem(string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            return "it spans lines";
        }
        if (value.Contains('"', StringComparison.Ordinal) && value.Contains('\'', StringComparison.Ordinal))
        {
            return "it has both kinds of quote";
        }
        if (value.Length > 0 && (value[0] is '"' or '\'' || value[^1] is '"' or '\''))
        {
            return "it starts or ends with a quote, which supervisord strips";
        }
        for (int i = 1; i < value.Length; i++)
        {
            if (value[i] is ';' or '#' && char.IsWhiteSpace(value[i - 1]))
            {
                return $"it has whitespace before '{value[i]}', which supervisord reads as a comment";
            }
        }
        return null;
    }

    /// <summary>
    /// True when <paramref name="text"/> survives as an unquoted value (such as <c>directory=</c>): no control
    /// characters, no whitespace at either end (configparser strips it), no comment start.
    /// </summary>
    public static bool IsPlainValue(string text)
    {
        if (text.Length == 0 || text.Any(char.IsControl) || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }
        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] is ';' or '#' && char.IsWhiteSpace(text[i - 1]))
            {
                return false;
            }
        }
        return true;
    }
}
