using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Drover.Core.Tests.Properties;

/// <summary>
/// .env files written from valid keys and arbitrary values, each value quoted so it reads back unchanged: in single
/// quotes (literal) when it has no <c>'</c> and no line break, otherwise in double quotes with <c>\\</c>,
/// <c>\"</c>, <c>\$</c> and <c>\r</c> escaped and line breaks and tabs either escaped or written as they are.
/// </summary>
internal static class ValidEnvFiles
{
    private static readonly Gen<string> Break = Gen.Elements("\n", "\n", "\r\n");

    // Keys from a small pool come up more than once: a later definition must win, at the first one's position.
    private static readonly Gen<string> Key = Gen.Frequency(
        (4, ParserInputs.VariableName),
        (1, Gen.Elements("A", "PATH", "_", "a.b", "export", "exported")));

    private static readonly Gen<string> Value = Gen.Frequency(
        (4, Gen.Constant("")),
        (30, Gen.ListOf(Gen.Frequency(
            (3, Gen.Elements("'", "\"", "$", "${A}", "$A", "\\", "\\n", "#", " #", "=", " ", "\t", "\n", "\r", "\r\n", "\0", "\uFEFF")),
            (3, ParserInputs.Fragment),
            (1, ParserInputs.AnyString))).Select(parts => string.Concat(parts))),
        (1, ParserInputs.LongRun.Select(run => run.Length > 20_000 ? run[..20_000] : run)));

    // "export =1" reads as the prefix and a missing name, so the key "export" is never followed by a blank.
    private static readonly Gen<EnvLine> Entry =
        from indent in ParserInputs.Blanks
        from export in Gen.Elements("", "", "export ", "export\t ")
        from key in Key
        from beforeEquals in ParserInputs.Blanks
        from afterEquals in ParserInputs.Blanks
        from value in Value
        from singleQuotes in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from literalBreaks in Gen.Elements(true, false)
        from literalBreak in Break
        from literalTabs in Gen.Elements(true, false)
        from trailing in Gen.Elements("", "", " ", "\t", " # a comment", "#c", " #'\"")
        from lineBreak in Break
        let gap = key == "export" && export.Length == 0 ? "" : beforeEquals
        let quoted = singleQuotes && !value.Contains('\'') && !value.Contains('\n')
            ? $"'{value}'"
            : DoubleQuoted(value, literalBreaks ? literalBreak : null, literalTabs)
        select new EnvLine($"{indent}{export}{key}{gap}={afterEquals}{quoted}{trailing}", lineBreak, key, value);

    /// <summary>The text of one valid entry (which may span lines).</summary>
    public static Gen<string> EntryText { get; } = Entry.Select(l => l.Text);

    private static readonly Gen<EnvLine> OtherLine =
        from blanks in ParserInputs.Blanks
        from comment in Gen.Elements("", "#", "# A=not a value", "#B='x", "## \"")
        from lineBreak in Break
        select new EnvLine(blanks + comment, lineBreak, null, null);

    /// <summary>.env files, shrunk by dropping lines.</summary>
    public static Arbitrary<WrittenEnvFile> Arbitrary { get; } = Arb.From(
        from bom in Gen.Elements("", "", "\uFEFF")
        from lines in Gen.ListOf(Gen.Frequency((4, Entry), (1, OtherLine))).ScaleSize(s => (s / 3) + 1)
        from lastBreak in Gen.Elements(true, false)
        select new WrittenEnvFile(bom, lines, lastBreak),
        Shrink);

    private static string DoubleQuoted(string value, string? literalBreak, bool literalTabs)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in value)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '$' => "\\$",
                '\r' => "\\r",
                '\n' => literalBreak ?? "\\n",
                '\t' => literalTabs ? "\t" : "\\t",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    private static IEnumerable<WrittenEnvFile> Shrink(WrittenEnvFile env)
    {
        if (env.Bom.Length > 0)
        {
            yield return env with { Bom = "" };
        }
        for (int i = 0; i < env.Lines.Count; i++)
        {
            yield return env with { Lines = [.. env.Lines.Where((_, j) => j != i)] };
        }
    }
}

/// <summary>One entry of a generated .env file (possibly spanning lines), or a comment or blank line (no key).</summary>
internal sealed record EnvLine(string Text, string Break, string? Key, string? Value);

/// <summary>A generated .env file and what it must parse to.</summary>
internal sealed record WrittenEnvFile(string Bom, IReadOnlyList<EnvLine> Lines, bool LastBreak)
{
    /// <summary>The file's text.</summary>
    public string Text => Bom + string.Concat(Lines.Select((l, i) => l.Text + (i < Lines.Count - 1 || LastBreak ? l.Break : "")));

    /// <summary>Each key once, at the position of its first definition, with the value of its last one.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Expected
    {
        get
        {
            var entries = new List<KeyValuePair<string, string>>();
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in Lines.Where(l => l.Key is not null))
            {
                if (positions.TryGetValue(line.Key!, out int at))
                {
                    entries[at] = new(line.Key!, line.Value!);
                }
                else
                {
                    positions[line.Key!] = entries.Count;
                    entries.Add(new(line.Key!, line.Value!));
                }
            }
            return entries;
        }
    }

    /// <summary>Shown by FsCheck for a counterexample: the text with its line breaks visible.</summary>
    public override string ToString() => Text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);
}
