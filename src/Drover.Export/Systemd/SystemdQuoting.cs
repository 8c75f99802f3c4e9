using System.Globalization;
using System.Text;

namespace Drover.Export.Systemd;

/// <summary>Quoting for systemd unit files (systemd.syntax(7), systemd.service(5) "Command lines").</summary>
internal static class SystemdQuoting
{
    /// <summary>
    /// A double-quoted word: C-style escapes for <c>\</c>, <c>"</c> and control characters, <c>%%</c> for a
    /// literal <c>%</c> (specifiers are expanded everywhere), and, in command lines, <c>$$</c> for a literal
    /// <c>$</c> (systemd expands <c>$VAR</c> in ExecStart= but not in Environment=).
    /// </summary>
    public static string Quote(string text, bool commandLine)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '%': sb.Append("%%"); break;
                case '$' when commandLine: sb.Append("$$"); break;
                case < ' ' or '\x7f': sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// A value in an <c>EnvironmentFile=</c>: double-quoted, with <c>\</c> before <c>\</c>, <c>"</c>, <c>$</c> and
    /// <c>`</c> (the characters systemd's env-file reader unescapes in double quotes). Newlines and tabs stay as
    /// they are: inside double quotes they are part of the value. No specifiers are expanded in the file.
    /// </summary>
    public static string EnvironmentFileValue(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '\\' or '"' or '$' or '`')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A literal text in a setting that takes no quotes (paths, names): only <c>%</c> is special.</summary>
    public static string Plain(string text) => text.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>
    /// True when systemd accepts <paramref name="value"/> in Environment=: control characters other than tab and
    /// newline make it drop the assignment with a warning.
    /// </summary>
    public static bool IsValidValue(string value) =>
        !value.Any(c => c is (< ' ' and not '\t' and not '\n') or '\x7f');

    /// <summary>True when systemd accepts <paramref name="name"/> as a variable name: letters, digits, '_'.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
