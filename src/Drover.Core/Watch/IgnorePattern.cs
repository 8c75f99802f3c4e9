using System.Text;
using System.Text.RegularExpressions;

namespace Drover.Core.Watch;

/// <summary>
/// One line of a <c>.gitignore</c> file, as gitignore(5) reads it: <c>!</c> negates, a trailing <c>/</c> matches
/// directories only, a <c>/</c> at the start or in the middle anchors it to the file's directory (otherwise it
/// matches a name at any depth), <c>*</c> <c>?</c> <c>[...]</c> stop at <c>/</c>, and <c>**</c> spans directories.
/// </summary>
internal sealed class IgnorePattern
{
    private readonly Regex _regex;

    private IgnorePattern(Regex regex, bool negated, bool directoryOnly)
    {
        _regex = regex;
        Negated = negated;
        DirectoryOnly = directoryOnly;
    }

    /// <summary>A <c>!pattern</c>: a match re-includes.</summary>
    public bool Negated { get; }

    /// <summary>A <c>pattern/</c>: it matches only directories.</summary>
    public bool DirectoryOnly { get; }

    /// <summary>The pattern of one line, or null for a blank line or a comment.</summary>
    public static IgnorePattern? Parse(string line)
    {
        string text = TrimTrailingSpaces(line);
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }
        bool negated = false;
        if (text[0] == '!')
        {
            negated = true;
            text = text[1..];
        }
        else if (text.StartsWith("\\!", StringComparison.Ordinal) || text.StartsWith("\\#", StringComparison.Ordinal))
        {
            text = text[1..];
        }
        bool directoryOnly = text.EndsWith('/');
        text = text.TrimEnd('/');
        if (text.Length == 0)
        {
            return null;
        }
        // A slash anywhere but at the end anchors the pattern to the .gitignore's own directory.
        bool anchored = text.Contains('/');
        text = text.TrimStart('/');
        string body = Translate(text);
        string regex = anchored || text.StartsWith("**", StringComparison.Ordinal) ? $"^{body}$" : $"^(?:.*/)?{body}$";
        // Patterns are data (the user's files), so they cannot be source-generated; the interpreter is AOT-safe.
        return new IgnorePattern(new Regex(regex, RegexOptions.CultureInvariant | RegexOptions.Singleline), negated, directoryOnly);
    }

    /// <summary>Whether <paramref name="relativePath"/> (with <c>/</c>, relative to the .gitignore's directory) matches.</summary>
    public bool Matches(string relativePath, bool isDirectory) =>
        (isDirectory || !DirectoryOnly) && _regex.IsMatch(relativePath);

    private static string TrimTrailingSpaces(string line)
    {
        int end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t' or '\r')
        {
            // "\ " keeps the space it escapes.
            if (end >= 2 && line[end - 2] == '\\')
            {
                break;
            }
            end--;
        }
        return line[..end];
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*'
                && (i == 0 || glob[i - 1] == '/') && (i + 2 == glob.Length || glob[i + 2] == '/'))
            {
                // "**" as a whole segment: "**/x" any leading directories, "x/**" everything inside, "a/**/b" zero or more between.
                if (i + 2 == glob.Length)
                {
                    regex.Append(".*");
                }
                else
                {
                    regex.Append("(?:.*/)?");
                    i++;
                }
                i++;
                continue;
            }
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < glob.Length:
                    regex.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                case '[':
                    int close = glob.IndexOf(']', i + 2 <= glob.Length ? i + 2 : i + 1);
                    if (close < 0)
                    {
                        regex.Append("\\[");
                        break;
                    }
                    string set = glob[(i + 1)..close];
                    if (set.StartsWith('!'))
                    {
                        set = "^" + set[1..];
                    }
                    regex.Append('[').Append(set.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return regex.ToString();
    }
}
