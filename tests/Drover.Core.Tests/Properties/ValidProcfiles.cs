using Drover.Core.Procfile;
using FsCheck;
using FsCheck.Fluent;

namespace Drover.Core.Tests.Properties;

/// <summary>
/// Procfiles written from valid (name, command) pairs in the many layouts a person may use: indented or not, with
/// or without blanks after the colon, trailing blanks, comment and blank lines between, LF or CRLF, a BOM.
/// </summary>
internal static class ValidProcfiles
{
    private static readonly Gen<string> Break = Gen.Elements("\n", "\n", "\r\n");

    // Anything but a line break; no blank at either end, since the parser trims the command (as Foreman does).
    private static readonly Gen<string> Command =
        from parts in Gen.NonEmptyListOf(Gen.Frequency(
            (4, Gen.Elements("bundle exec puma", "$PORT", "-p", "'a b'", "\"x\"", "#", ":", "=", "\\", "${X}", "&&", "|", ";")),
            (2, ParserInputs.Fragment),
            (1, ParserInputs.AnyString)))
        let text = string.Concat(parts).Replace("\n", "", StringComparison.Ordinal).Trim()
        select text.Length == 0 ? "true" : text;

    private static readonly Gen<ProcfileLine> TypeLine =
        from indent in ParserInputs.Blanks
        from name in ParserInputs.TypeName
        from gap in ParserInputs.Blanks
        from command in Command
        from trailing in ParserInputs.Blanks
        from lineBreak in Break
        select new ProcfileLine($"{indent}{name}:{gap}{command}{trailing}", lineBreak, new ProcessType(name, command, 0));

    /// <summary>The text of one valid line defining a type.</summary>
    public static Gen<string> LineText { get; } = TypeLine.Select(l => l.Text);

    private static readonly Gen<ProcfileLine> OtherLine =
        from blanks in ParserInputs.Blanks
        from comment in Gen.Elements("", "#", "# web: not a type", "#web:x", "## \t")
        from lineBreak in Break
        select new ProcfileLine(blanks + comment, lineBreak, null);

    /// <summary>Procfiles, shrunk by dropping lines.</summary>
    public static Arbitrary<WrittenProcfile> Arbitrary { get; } = Arb.From(Generate(), Shrink);

    private static Gen<WrittenProcfile> Generate() =>
        from bom in Gen.Elements("", "", "\uFEFF")
        from first in TypeLine
        from more in Gen.ListOf(Gen.Frequency((3, TypeLine), (1, OtherLine))).ScaleSize(s => (s / 3) + 1)
        from lastBreak in Gen.Elements(true, false)
        select Write(bom, [first, .. more], lastBreak);

    // Names must be unique (a duplicate is an error), so later lines reusing a name are dropped.
    private static WrittenProcfile Write(string bom, IReadOnlyList<ProcfileLine> lines, bool lastBreak)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var kept = lines.Where(l => l.Type is null || names.Add(l.Type.Name)).ToList();
        return new WrittenProcfile(bom, kept, lastBreak);
    }

    private static IEnumerable<WrittenProcfile> Shrink(WrittenProcfile procfile)
    {
        if (procfile.Bom.Length > 0)
        {
            yield return procfile with { Bom = "" };
        }
        for (int i = 0; i < procfile.Lines.Count; i++)
        {
            var fewer = procfile.Lines.Where((_, j) => j != i).ToList();
            if (fewer.Any(l => l.Type is not null))
            {
                yield return procfile with { Lines = fewer };
            }
        }
    }
}

/// <summary>One line of a generated Procfile; <paramref name="Type"/> is what it defines, with the line left 0.</summary>
internal sealed record ProcfileLine(string Text, string Break, ProcessType? Type);

/// <summary>A generated Procfile and the types it must parse to.</summary>
internal sealed record WrittenProcfile(string Bom, IReadOnlyList<ProcfileLine> Lines, bool LastBreak)
{
    /// <summary>The file's text.</summary>
    public string Text => Bom + string.Concat(Lines.Select((l, i) => l.Text + (i < Lines.Count - 1 || LastBreak ? l.Break : "")));

    /// <summary>The types in file order, each with its 1-based line.</summary>
    public IReadOnlyList<ProcessType> Expected =>
        [.. Lines.Select((l, i) => l.Type is null ? null : l.Type with { Line = i + 1 }).OfType<ProcessType>()];

    /// <summary>Shown by FsCheck for a counterexample: the text with its line breaks visible.</summary>
    public override string ToString() => Text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);
}
