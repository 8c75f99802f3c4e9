using Drover.Core.Procfile;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Drover.Core.Tests.Properties;

public sealed class DotEnvParserProperties
{
    private const string File = "app/.env";

    private static readonly Gen<string> Value = Gen.Frequency(
        (3, ParserInputs.Soup),
        (2, ParserInputs.Soup.Select(s => "'" + s)),
        (2, ParserInputs.Soup.Select(s => "\"" + s)),
        (1, from inside in ParserInputs.Soup
            from after in ParserInputs.Soup
            select $"\"{inside}\"{after}"),
        (1, from name in ParserInputs.Soup
            from rest in ParserInputs.Soup
            select "${" + name + rest));

    private static readonly Gen<string> Line = Gen.Frequency(
        (3, ParserInputs.Soup),
        (6, from indent in ParserInputs.Blanks
            from export in Gen.Elements("", "", "export ", "export\t", "export")
            from key in Gen.Frequency((3, ParserInputs.VariableName), (1, Gen.Elements("A", "export", "1A", "a-b", "")), (1, ParserInputs.Soup))
            from gap in ParserInputs.Blanks
            from value in Value
            select $"{indent}{export}{key}{gap}={value}"),
        (1, from blanks in ParserInputs.Blanks
            from comment in ParserInputs.Soup
            select $"{blanks}#{comment}"),
        (1, ParserInputs.Blanks));

    private static readonly Arbitrary<Input> AnyEnvFile = ParserInputs.Arbitrary(ParserInputs.Document(Line, ValidEnvFiles.EntryText));

    // Variables the file does not define come from here: some are undefined, and the values of the others are
    // full of what would be special in the file, which must be taken literally.
    private static string? Lookup(string name) => name.Length % 3 == 0 ? null : $"<{name}>$A ${{B}} \\\" '\n";

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property Any_text_gives_variables_or_clean_errors_and_never_throws() =>
        Prop.ForAll(AnyEnvFile, input =>
        {
            string text = input.Text;
            var result = DotEnvParser.Parse(text, File, Lookup);

            // Repeats are tolerated here only until the bug shown by the skipped test below is fixed.
            CleanResult.Check(result, text, File);
            if (result.Ok)
            {
                var keys = result.Value.Select(kv => kv.Key).ToList();
                Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
                Assert.All(keys, k => Assert.Matches("^[A-Za-z_][A-Za-z0-9_.]*$", k));
                Assert.All(result.Value, kv => Assert.NotNull(kv.Value));
            }
        });

    [Fact]
    public void A_problem_inside_an_unterminated_double_quote_is_reported_once()
    {
        // Found by the property above (shrunk): line 1 opens a quote that never closes, line 2 has a bad ${
        // (inside the quote it would be one; read again as its own unquoted entry, it is literal since issue #14).
        var result = DotEnvParser.Parse("A=\"\nB=${\n", File, Lookup);

        string[] expected =
        [
            $"{File}:1:3: unterminated double quote: no closing \" before the end of the file",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property A_env_file_written_from_valid_keys_and_quoted_values_reads_back_as_the_same_values() =>
        Prop.ForAll(ValidEnvFiles.Arbitrary, env =>
        {
            var result = DotEnvParser.Parse(env.Text, File, Lookup);

            Assert.True(result.Ok, string.Join("\n", result.Errors));
            Assert.Equal(env.Expected, result.Value);
        });
}
