namespace Drover.Core.Supervision;

/// <summary>
/// Decides whether a Procfile command can be started without a shell, and if so splits it into words.
/// </summary>
/// <remarks>
/// Running <c>/bin/sh -c COMMAND</c> costs a second exec per process (dash does not exec the last command), and
/// the shell stays as the parent of the real program. A command that a shell would only split at blanks gives the
/// same argv when split here, so it is started directly. This is the rule Ruby's <c>Process.spawn</c> applies to a
/// command string (and so Foreman): no shell syntax at all, and a first word that is neither a shell keyword nor
/// a builtin (which are not programs, or behave differently as programs, like <c>echo</c>). Anything else, and
/// anything in doubt, goes to the shell. See docs/procfile.md.
/// </remarks>
public static class SimpleCommand
{
    // Quoting, expansion, globbing, redirection, lists, pipes, subshells, comments and tilde: all shell syntax.
    private const string Meta = "\"'\\$`*?[]{}()<>|&;#~=!";

    // dash's keywords and builtins: their meaning as programs (if any) differs from the shell's.
    private static readonly HashSet<string> ShellWords = new(StringComparer.Ordinal)
    {
        "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while",
        ".", ":", "[", "alias", "bg", "break", "cd", "chdir", "command", "continue", "echo", "eval", "exec", "exit",
        "export", "false", "fc", "fg", "getopts", "hash", "jobs", "kill", "local", "printf", "pwd", "read",
        "readonly", "return", "set", "shift", "test", "times", "trap", "true", "type", "ulimit", "umask",
        "unalias", "unset", "wait",
    };

    /// <summary>
    /// The words of <paramref name="command"/> when a shell would do nothing but split it at blanks and run the
    /// first word as a program; otherwise null (run it with <c>/bin/sh -c</c>).
    /// </summary>
    public static string[]? TrySplit(string command)
    {
        foreach (char c in command)
        {
            // Blanks separate words; any other control character (a newline is a command separator) or shell
            // metacharacter needs the shell. '=' is only special in a leading assignment, but is rare enough in
            // arguments that the simple rule wins.
            if (c != ' ' && c != '\t' && (char.IsControl(c) || Meta.Contains(c, StringComparison.Ordinal)))
            {
                return null;
            }
        }
        string[] words = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || ShellWords.Contains(words[0]))
        {
            return null;
        }
        return words;
    }
}
