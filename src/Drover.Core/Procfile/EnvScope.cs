using Drover.Core.Diagnostics;

namespace Drover.Core.Procfile;

/// <summary>
/// What <c>${NAME}</c> in an env file can see: the variables its file and earlier env files defined, then the
/// variables from outside (the OS environment). It also keeps the bounds on expansion, across every file read
/// through it, and the warnings found.
/// </summary>
/// <param name="outside">Resolves names no env file has defined; null means undefined.</param>
public sealed class EnvScope(Func<string, string?> outside)
{
    /// <summary>
    /// The longest value an expansion may produce, in characters: Linux refuses to exec with one environment
    /// string over 128 KiB (MAX_ARG_STRLEN), so a longer value could never reach a process anyway.
    /// </summary>
    public const int MaxExpandedValue = 128 * 1024;

    /// <summary>The most characters all expansions of all env files may produce together (1 MiB).</summary>
    public const int MaxExpandedTotal = 1024 * 1024;

    /// <summary>How many levels of values built from values built from ... an expansion may go through.</summary>
    public const int MaxDepth = 10;

    private readonly Dictionary<string, (string Value, int Depth)> _defined = new(StringComparer.Ordinal);

    /// <summary>Characters produced by expansions so far, across files.</summary>
    internal long ExpandedTotal { get; set; }

    /// <summary>Non-fatal findings (an undefined variable), in the order found.</summary>
    public List<Diagnostic> Warnings { get; } = [];

    /// <summary>
    /// The value of <paramref name="name"/> and how many levels of expansion built it (0 for a literal or
    /// outside value); false when nothing defines it.
    /// </summary>
    internal bool TryResolve(string name, out string value, out int depth)
    {
        if (_defined.TryGetValue(name, out var entry))
        {
            (value, depth) = entry;
            return true;
        }
        depth = 0;
        value = outside(name)!;
        return value is not null;
    }

    /// <summary>Records <paramref name="name"/> for later references; a later definition replaces it.</summary>
    internal void Define(string name, string value, int depth) => _defined[name] = (value, depth);
}
