using Drover.Core.Procfile;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Drover.Core.Tests.Properties;

public sealed class ProcfileParserProperties
{
    private const string File = "app/Procfile";

    private static readonly Gen<string> Line = Gen.Frequency(
        (4, ParserInputs.Soup),
        (4, from blanks in ParserInputs.Blanks
            from name in Gen.Frequency((3, ParserInputs.TypeName), (1, Gen.Elements("web", "worker", "web")), (1, ParserInputs.Soup))
            from gap in ParserInputs.Blanks
            from command in ParserInputs.Soup
            select $"{blanks}{name}:{gap}{command}"),
        (1, from blanks in ParserInputs.Blanks
            from comment in ParserInputs.Soup
            select $"{blanks}#{comment}"),
        (1, ParserInputs.Blanks));

    private static readonly Arbitrary<Input> AnyProcfile = ParserInputs.Arbitrary(ParserInputs.Document(Line, ValidProcfiles.LineText));

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property Any_text_gives_process_types_or_clean_errors_and_never_throws() =>
        Prop.ForAll(AnyProcfile, input =>
        {
            string text = input.Text;
            var result = ProcfileParser.Parse(text, File);

            CleanResult.Check(result, text, File);
            if (result.Ok)
            {
                var types = result.Value.Types;
                Assert.NotEmpty(types);
                Assert.Equal(types.Count, types.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
                Assert.All(types, t =>
                {
                    Assert.Matches("^[A-Za-z0-9_-]+$", t.Name);
                    Assert.NotEmpty(t.Command);
                    Assert.Equal(t.Command.Trim(), t.Command);
                    Assert.DoesNotContain('\n', t.Command);
                    Assert.InRange(t.Line, 1, ParserInputs.LineCount(text));
                });
                Assert.Equal(types.Select(t => t.Line).Order(), types.Select(t => t.Line));
            }
        });

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property A_Procfile_written_from_valid_pairs_reads_back_as_exactly_those_pairs_in_order() =>
        Prop.ForAll(ValidProcfiles.Arbitrary, procfile =>
        {
            var result = ProcfileParser.Parse(procfile.Text, File);

            Assert.True(result.Ok, string.Join("\n", result.Errors));
            Assert.Equal(File, result.Value.File);
            Assert.Equal(procfile.Expected, result.Value.Types);
        });
}
