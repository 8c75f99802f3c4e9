namespace Drover.Core.Terminals;

/// <summary>
/// Which processes run on a pseudo-terminal, from <c>--tty</c>: <c>auto</c> (every process when Drover's own stdout
/// is a terminal, none otherwise), <c>always</c>, <c>never</c>, or a comma-separated list of process types.
/// </summary>
public static class TerminalChoice
{
    /// <summary>The value that picks by Drover's own stdout.</summary>
    public const string Auto = "auto";

    /// <summary>
    /// A predicate over instance names (<c>web.1</c>), or null for "no terminals"; <paramref name="error"/> is set
    /// when <paramref name="value"/> is not valid.
    /// </summary>
    public static Func<string, bool>? Parse(string? value, bool stdoutIsTerminal, out string? error)
    {
        error = null;
        switch (value ?? Auto)
        {
            case Auto:
                return stdoutIsTerminal ? _ => true : null;
            case "always":
                return _ => true;
            case "never":
                return null;
        }
        var types = value!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bad = types.FirstOrDefault(t => !t.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
        if (types.Length == 0 || bad is not null)
        {
            error = $"--tty takes auto, always, never or a comma-separated list of process types (e.g. web,console), not '{value}'";
            return null;
        }
        var set = new HashSet<string>(types, StringComparer.Ordinal);
        return name => set.Contains(TypeOf(name));
    }

    /// <summary>The type of an instance name: <c>web</c> for <c>web.1</c>.</summary>
    private static string TypeOf(string instance) =>
        instance.LastIndexOf('.') is var dot and > 0 ? instance[..dot] : instance;
}
