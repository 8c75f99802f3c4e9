namespace Drover.Core.Settings.Parsing;

/// <summary>Commands written in a settings file.</summary>
internal static class CommandText
{
    /// <summary>
    /// process-compose substitutes variables in the file and reads <c>$$</c> as a literal <c>$</c>; Drover leaves
    /// <c>$VAR</c> to the shell, which sees the process's environment, so only the escape is undone here.
    /// </summary>
    public static string FromSettings(string command) => command.Replace("$$", "$", StringComparison.Ordinal).Trim();
}
