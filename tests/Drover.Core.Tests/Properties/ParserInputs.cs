using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Drover.Core.Tests.Properties;

/// <summary>
/// Generators of parser input: arbitrary strings mixed with the pieces of the grammars (names, ':', '=', ',',
/// quotes, '$', '${', backslashes, '#', CR/LF, a BOM, NUL, very long runs), so that random text regularly gets past
/// the first checks and into the interesting paths (quoted values over several lines, substitutions, duplicates).
/// </summary>
internal static class ParserInputs
{
    /// <summary>The test's iteration count: enough to reach the rare paths, small enough for a few seconds in all.</summary>
    public const int Iterations = 1000;

    private static readonly string[] Punctuation =
    [
        ":", ":", "=", "=", ",", " ", " ", "\t", "#", " #", "'", "'", "\"", "\"", "$", "${", "}", "\\", "\\n", "\\\"",
        "\\$", "\\\\", "-", "_", ".", "export ", "export\t", "all", "=-1", "=0", "=2147483648", "=99999999999", "-",
    ];

    private static readonly string[] LineBreaks = ["\n", "\n", "\n", "\r\n", "\r", "\r\r\n"];

    private static readonly string[] Oddities =
    [
        "\uFEFF", "\0", "\u001b[31m", "\u0085", "\u00A0", "\u2028", "\u202E", "\uD83D\uDE80", "\uD800", "\uDC00",
        "é", "名前", "\u0007", "\v", "\f",
    ];

    /// <summary>Any string at all (FsCheck's own, which includes control and non-ASCII characters), never null.</summary>
    public static Gen<string> AnyString { get; } = ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "");

    /// <summary>A valid Procfile type name: <c>[A-Za-z0-9_-]+</c>.</summary>
    public static Gen<string> TypeName { get; } = NameOf(
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".ToCharArray()),
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".ToCharArray()));

    /// <summary>A valid env variable name: <c>[A-Za-z_][A-Za-z0-9_.]*</c>.</summary>
    public static Gen<string> VariableName { get; } = NameOf(
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_".ToCharArray()),
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.".ToCharArray()));

    /// <summary>One piece of text: mostly grammar-shaped, sometimes arbitrary.</summary>
    public static Gen<string> Fragment { get; } = Gen.Frequency(
        (8, Gen.Elements(Punctuation)),
        (4, TypeName),
        (3, VariableName),
        (2, Gen.Choose(-5, 1000).Select(n => n.ToString())),
        (2, Gen.Elements(LineBreaks)),
        (2, Gen.Elements(Oddities)),
        (4, AnyString),
        (1, Gen.Choose(0, 0x1F).Select(c => ((char)c).ToString())));

    /// <summary>Fragments run together: text that looks like the grammar in places and like noise in others.</summary>
    public static Gen<string> Soup { get; } = Gen.ListOf(Fragment).ScaleSize(s => (s / 4) + 1).Select(parts => string.Concat(parts));

    /// <summary>One piece repeated to tens of thousands of characters: a very long line, or a very long value.</summary>
    /// <remarks>Runs of "${" are generated too, up to 8,000 characters (a line full of unterminated substitutions).</remarks>
    public static Gen<string> LongRun { get; } = Gen.Frequency(
        (12, from piece in Gen.Elements("x", "web: ", "A=", "\"", "$", "\\", "é", "\0", "a=1,", "#", "\uFEFF", "'")
             from length in Gen.Choose(10_000, 70_000)
             select string.Concat(Enumerable.Repeat(piece, length / piece.Length))),
        (1, Gen.Choose(1, 4_000).Select(n => string.Concat(Enumerable.Repeat("${", n)))));

    /// <summary>A blank run of spaces and tabs, possibly empty.</summary>
    public static Gen<string> Blanks { get; } = Gen.Elements("", "", " ", "  ", "\t", " \t ");

    /// <summary>
    /// A whole file, sometimes with a BOM in front and sometimes without a final line break. Half the files are
    /// mostly <paramref name="wellFormed"/> lines with a little noise, joined by LF or CRLF, so that many parse and
    /// the checks of a parsed value run; the other half are mostly <paramref name="noise"/> with, now and then, a
    /// very long line, joined by LF, CRLF and stray CRs.
    /// </summary>
    public static Gen<string> Document(Gen<string> noise, Gen<string> wellFormed) =>
        from bom in Gen.Elements("", "", "", "\uFEFF")
        from mostlyWellFormed in Gen.Elements(true, false)
        from lines in Gen.ListOf(mostlyWellFormed
            ? Gen.Frequency((60, wellFormed), (1, noise))
            : Gen.Frequency((60, noise), (1, LongRun))).ScaleSize(s => (s / 3) + 1)
        from breaks in Gen.ArrayOf(mostlyWellFormed ? Gen.Elements("\n", "\r\n") : Gen.Elements(LineBreaks), lines.Count)
        from ending in Gen.Elements("", "\n", "\r\n")
        select bom + string.Concat(lines.Select((l, i) => i == lines.Count - 1 ? l : l + breaks[i])) + ending;

    /// <summary>An arbitrary over <paramref name="gen"/> that shrinks a failing text by cutting pieces out of it.</summary>
    public static Arbitrary<Input> Arbitrary(Gen<string> gen) =>
        Arb.From(gen.Select(text => new Input(text)), input => ShrinkText(input.Text).Select(text => new Input(text)));

    /// <summary>The number of lines in <paramref name="text"/> as the parsers count them: line breaks plus one.</summary>
    public static int LineCount(string text) => text.Count(c => c == '\n') + 1;

    /// <summary>The lines of <paramref name="text"/> as the parsers see them: no BOM, no CR before an LF.</summary>
    public static string[] Lines(string text)
    {
        string[] lines = (text.StartsWith('\uFEFF') ? text[1..] : text).Split('\n');
        return [.. lines.Select(l => l.EndsWith('\r') ? l[..^1] : l)];
    }

    /// <summary>Shorter versions of a failing text: halves, then smaller and smaller pieces cut out of it.</summary>
    private static IEnumerable<string> ShrinkText(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }
        yield return "";
        // Cuts of at least 1/1024 of the text: a long text first gets shorter, then is cut finer.
        for (int size = text.Length / 2; size >= Math.Max(1, text.Length / 1024); size /= 2)
        {
            for (int at = 0; at + size <= text.Length; at += size)
            {
                yield return text.Remove(at, size);
            }
        }
    }

    private static Gen<string> NameOf(Gen<char> first, Gen<char> rest) =>
        from head in first
        from tail in Gen.ArrayOf(rest).Resize(12)
        select head + new string(tail);
}

/// <summary>Parser input, shown in a counterexample as a C# literal so that it can be pasted into a test.</summary>
internal sealed record Input(string Text)
{
    private const int MaxShown = 4000;

    /// <inheritdoc />
    public override string ToString()
    {
        var literal = new StringBuilder("\"");
        foreach (char c in Text.Length > MaxShown ? Text[..MaxShown] : Text)
        {
            literal.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c is < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        literal.Append('"');
        return Text.Length > MaxShown ? $"{literal}... ({Text.Length} characters)" : literal.ToString();
    }
}
