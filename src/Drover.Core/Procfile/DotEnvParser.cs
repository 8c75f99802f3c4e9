using System.Text;
using Drover.Core.Diagnostics;

namespace Drover.Core.Procfile;

/// <summary>
/// Reads dotenv files: <c>KEY=value</c> lines with optional <c>export</c>, comments, single quotes (literal),
/// double quotes (escapes, <c>${NAME}</c> expansion, several lines) and unquoted values (trimmed, otherwise
/// literal). Every malformed entry is reported, not only the first.
/// </summary>
/// <remarks>
/// Only <c>${NAME}</c> inside double quotes expands: Foreman expands nothing, and a <c>$</c> in an unquoted value
/// (a bcrypt hash, a password) must arrive as written. Expansion is bounded in size and depth (see
/// <see cref="EnvScope"/>), so a small file cannot make a value of gigabytes.
/// </remarks>
public static class DotEnvParser
{
    private const string NameRule = "names start with a letter or '_' and contain only letters, digits, '_' and '.'";

    /// <summary>Reads and parses the env file at <paramref name="path"/>.</summary>
    /// <param name="path">The path as the user gave it; diagnostics name the file this way.</param>
    /// <param name="lookup">Resolves variables this file has not defined yet (earlier env files, then the OS).</param>
    /// <returns>The variables in file order, or diagnostics when the file cannot be read or is malformed.</returns>
    public static Result<IReadOnlyList<KeyValuePair<string, string>>> Load(string path, Func<string, string?> lookup) =>
        Load(path, new EnvScope(lookup));

    /// <summary>Reads and parses the env file at <paramref name="path"/> within <paramref name="scope"/>.</summary>
    /// <param name="path">The path as the user gave it; diagnostics name the file this way.</param>
    /// <param name="scope">What earlier files defined; receives this file's definitions and warnings.</param>
    /// <returns>The variables in file order, or diagnostics when the file cannot be read or is malformed.</returns>
    public static Result<IReadOnlyList<KeyValuePair<string, string>>> Load(string path, EnvScope scope)
    {
        var text = ProcfileParser.ReadText(path, "env file");
        return text.Ok
            ? Parse(text.Value, path, scope)
            : Result<IReadOnlyList<KeyValuePair<string, string>>>.Failure(text.Errors);
    }

    /// <summary>Parses dotenv text.</summary>
    /// <param name="text">The whole file; CRLF line ends and a leading UTF-8 BOM are accepted.</param>
    /// <param name="file">The name diagnostics use for this text.</param>
    /// <param name="lookup">
    /// Resolves <c>${VAR}</c> for names not defined earlier in this file; null means undefined, which expands to
    /// nothing (with a warning in the scope).
    /// </param>
    /// <returns>
    /// Each key once, at the position of its first definition, with the value of its last one (later duplicates
    /// win); or every error found.
    /// </returns>
    public static Result<IReadOnlyList<KeyValuePair<string, string>>> Parse(
        string text, string file, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return Parse(text, file, new EnvScope(lookup));
    }

    /// <summary>Parses dotenv text within <paramref name="scope"/>, which receives its definitions and warnings.</summary>
    /// <param name="text">The whole file; CRLF line ends and a leading UTF-8 BOM are accepted.</param>
    /// <param name="file">The name diagnostics use for this text.</param>
    /// <param name="scope">What earlier files defined, the outside environment, and the expansion bounds.</param>
    /// <returns>As <see cref="Parse(string, string, Func{string, string?})"/>.</returns>
    public static Result<IReadOnlyList<KeyValuePair<string, string>>> Parse(string text, string file, EnvScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var reader = new Reader(ProcfileParser.SplitLines(text), file, scope);
        reader.ReadAll();
        return reader.Errors.Count == 0
            ? Result<IReadOnlyList<KeyValuePair<string, string>>>.Success(reader.Entries)
            : Result<IReadOnlyList<KeyValuePair<string, string>>>.Failure(reader.Errors);
    }

    /// <summary>True when <paramref name="name"/> matches <c>[A-Za-z_][A-Za-z0-9_.]*</c>.</summary>
    internal static bool IsValidName(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNamePart(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>The state of one parse: a cursor over the lines plus what has been defined and found wrong.</summary>
    private sealed class Reader(string[] lines, string file, EnvScope scope)
    {
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
        private int _next;

        // The line whose unterminated "${" was last reported, so a line full of them gets one error.
        private int _unterminatedReported = -1;

        public List<KeyValuePair<string, string>> Entries { get; } = [];

        public List<Diagnostic> Errors { get; } = [];

        public void ReadAll()
        {
            while (_next < lines.Length)
            {
                ReadEntry();
            }
        }

        private void ReadEntry()
        {
            var index = _next++;
            var line = lines[index];
            var lineNumber = index + 1;
            var start = ProcfileParser.SkipBlanks(line, 0);
            if (start == line.Length || line[start] == '#')
            {
                return;
            }

            if (line.AsSpan(start).StartsWith("export") && start + 6 < line.Length && line[start + 6] is ' ' or '\t')
            {
                start = ProcfileParser.SkipBlanks(line, start + 6);
            }

            var equals = line.IndexOf('=', start);
            if (equals < 0)
            {
                Error(lineNumber, start + 1, $"expected KEY=value but found {ProcfileParser.Quote(line.Trim())} (no '=')");
                return;
            }

            var key = line[start..equals].TrimEnd(' ', '\t');
            var keyIsValid = IsValidName(key);
            if (!keyIsValid)
            {
                Error(lineNumber, start + 1, key.Length == 0
                    ? "missing variable name before '='"
                    : $"invalid variable name {ProcfileParser.Quote(key)}; {NameRule}");
            }

            // The value is read even under a bad key: a quoted value may span lines, and those must not be
            // mistaken for entries of their own.
            var valueStart = ProcfileParser.SkipBlanks(line, equals + 1);
            var depth = 0;
            var value = valueStart < line.Length && line[valueStart] == '\''
                ? ReadSingleQuoted(index, valueStart)
                : valueStart < line.Length && line[valueStart] == '"'
                    ? ReadDoubleQuoted(index, valueStart, key, out depth)
                    : ReadUnquoted(index, valueStart);

            if (keyIsValid && value is not null)
            {
                Define(key, value, depth);
            }
        }

        private string? ReadSingleQuoted(int index, int open)
        {
            var line = lines[index];
            var close = line.IndexOf('\'', open + 1);
            if (close < 0)
            {
                Error(index + 1, open + 1, "unterminated single quote: no closing ' on this line");
                return null;
            }

            return CheckAfterQuote(index, close + 1) ? line[(open + 1)..close] : null;
        }

        private string? ReadDoubleQuoted(int openIndex, int open, string key, out int depth)
        {
            var value = new StringBuilder();
            var valid = true;
            var expansion = new Expansion(key);
            depth = 0;
            var index = openIndex;
            var line = lines[index];
            var i = open + 1;
            var errorsBefore = Errors.Count;
            while (true)
            {
                if (i == line.Length)
                {
                    if (index + 1 == lines.Length)
                    {
                        // The lines after the quote are read again below as entries of their own: drop what was
                        // reported about them as part of the value, or each problem would be reported twice.
                        Errors.RemoveRange(errorsBefore, Errors.Count - errorsBefore);
                        _unterminatedReported = -1;
                        Error(openIndex + 1, open + 1, "unterminated double quote: no closing \" before the end of the file");

                        // Whatever followed was most likely meant as entries of its own; check them too.
                        _next = openIndex + 1;
                        return null;
                    }

                    value.Append('\n');
                    line = lines[++index];
                    i = 0;
                    continue;
                }

                var c = line[i];
                if (c == '"')
                {
                    _next = index + 1;
                    depth = expansion.Depth;
                    return CheckAfterQuote(index, i + 1) && valid ? value.ToString() : null;
                }

                if (c == '\\' && i + 1 < line.Length)
                {
                    var escaped = line[i + 1] switch
                    {
                        'n' => "\n",
                        't' => "\t",
                        'r' => "\r",
                        '"' => "\"",
                        '\\' => "\\",
                        '$' => "$",
                        _ => null,
                    };
                    if (escaped is not null)
                    {
                        value.Append(escaped);
                        i += 2;
                        continue;
                    }
                }

                if (c == '$' && i + 1 < line.Length && line[i + 1] == '{')
                {
                    i = Expand(index, line.Length, i, value, expansion, ref valid);
                    continue;
                }

                value.Append(c);
                i++;
            }
        }

        private string? ReadUnquoted(int index, int start)
        {
            var line = lines[index];
            var end = start;
            while (end < line.Length && !(line[end] == '#' && end > 0 && line[end - 1] is ' ' or '\t'))
            {
                end++;
            }

            while (end > start && line[end - 1] is ' ' or '\t' or '\r')
            {
                end--;
            }

            // Literal, as Foreman keeps it: no expansion and no escapes, so "pa$$word" stays "pa$$word".
            return line[start..end];
        }

        /// <summary>
        /// Expands the <c>${</c> at <paramref name="dollar"/> on line <paramref name="index"/> into
        /// <paramref name="value"/>, looking no further than <paramref name="limit"/>, and returns the index after
        /// what it consumed. A malformed <c>${</c>, or an expansion beyond the bounds, is an error.
        /// </summary>
        private int Expand(int index, int limit, int dollar, StringBuilder value, Expansion expansion, ref bool valid)
        {
            var line = lines[index];
            var i = dollar + 1;
            var close = line.IndexOf('}', i + 1, limit - i - 1);
            var name = close < 0 ? null : line[(i + 1)..close];
            if (name is null || !IsValidName(name))
            {
                valid = false;
                if (close < 0 && _unterminatedReported == index)
                {
                    // No later "${" on this line can be closed either: one report per line is enough.
                    return i + 1;
                }
                // Only what the message can show is copied, so a line of many "${" stays linear.
                var end = close < 0 ? Math.Min(limit, dollar + 61) : close + 1;
                var shown = line[dollar..end];
                Error(index + 1, dollar + 1, close < 0
                    ? $"unterminated {ProcfileParser.Quote(shown)}: no closing '}}' on this line"
                    : $"bad substitution {ProcfileParser.Quote(shown)}; only ${{NAME}} is supported and {NameRule}");
                if (close < 0)
                {
                    _unterminatedReported = index;
                }
                // Without a '}' only the "${" is skipped, so a closing quote after it is still found.
                return close < 0 ? i + 1 : close + 1;
            }

            if (expansion.Failed)
            {
                // The value is refused already; the rest is only scanned for its closing quote.
                return close + 1;
            }

            if (!scope.TryResolve(name, out var resolved, out var depth))
            {
                scope.Warnings.Add(new(file, index + 1, dollar + 1,
                    $"warning: ${{{name}}} is not defined (not earlier in this file, in an earlier env file or in the environment): it expands to nothing; write \\${{{name}}} for the literal text"));
                return close + 1;
            }

            var refused = depth + 1 > EnvScope.MaxDepth
                ? $"${{{name}}} is itself built from {depth} levels of ${{...}} references; {expansion.Key} would need {depth + 1}, more than the {EnvScope.MaxDepth} allowed"
                : value.Length + (long)resolved.Length > EnvScope.MaxExpandedValue
                    ? $"expanding ${{{name}}} ({resolved.Length} characters) would make {expansion.Key} longer than {EnvScope.MaxExpandedValue} characters, the most Linux passes in one environment variable"
                    : scope.ExpandedTotal + resolved.Length > EnvScope.MaxExpandedTotal
                        ? $"expanding ${{{name}}} would take the text produced by ${{...}} in the env files over {EnvScope.MaxExpandedTotal} characters"
                        : null;
            if (refused is not null)
            {
                valid = false;
                expansion.Failed = true;
                Error(index + 1, dollar + 1, refused + "; .env expansion is bounded");
                return close + 1;
            }

            scope.ExpandedTotal += resolved.Length;
            expansion.Depth = Math.Max(expansion.Depth, depth + 1);
            value.Append(resolved);
            return close + 1;
        }

        /// <summary>After a closing quote only blanks and a comment may follow; anything else is reported.</summary>
        private bool CheckAfterQuote(int index, int after)
        {
            var line = lines[index];
            var rest = ProcfileParser.SkipBlanks(line, after);
            if (rest == line.Length || line[rest] == '#')
            {
                return true;
            }

            Error(index + 1, rest + 1,
                $"unexpected text {ProcfileParser.Quote(line[rest..].TrimEnd())} after the closing quote; only a '#' comment may follow");
            return false;
        }

        private void Define(string key, string value, int depth)
        {
            scope.Define(key, value, depth);
            if (_positions.TryGetValue(key, out var position))
            {
                Entries[position] = new(key, value);
            }
            else
            {
                _positions.Add(key, Entries.Count);
                Entries.Add(new(key, value));
            }
        }

        private void Error(int line, int column, string message) => Errors.Add(new(file, line, column, message));
    }

    /// <summary>The expansions of one double-quoted value: whose value it is, how deep it went, and whether it was refused.</summary>
    private sealed class Expansion(string key)
    {
        public string Key { get; } = key;

        public int Depth { get; set; }

        public bool Failed { get; set; }
    }
}
