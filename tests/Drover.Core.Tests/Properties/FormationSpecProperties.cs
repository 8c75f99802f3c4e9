using Drover.Core.Formation;
using Drover.Core.Procfile;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Drover.Core.Tests.Properties;

public sealed class FormationSpecProperties
{
    private const string Flag = "--formation";

    private static readonly Gen<string> Count = Gen.Frequency(
        (10, Gen.Choose(0, 20).Select(n => n.ToString())),
        (2, Gen.Elements("-1", "-0", "+1", "1.5", "1e3", "0x10", "2147483647", "2147483648", "99999999999999999999", "٣", " 1 ", "")),
        (1, ParserInputs.Soup));

    private static readonly Gen<string> Item = Gen.Frequency(
        (2, ParserInputs.Soup),
        (5, from name in Gen.Frequency((4, ParserInputs.TypeName), (1, Gen.Elements("all", "web", "web", "")), (1, ParserInputs.Soup))
            from before in ParserInputs.Blanks
            from after in ParserInputs.Blanks
            from count in Count
            select $"{name}{before}={after}{count}"));

    private static readonly Arbitrary<Input> AnySpec = ParserInputs.Arbitrary(Gen.Frequency(
        (1, ParserInputs.LongRun),
        (30, from items in Gen.ListOf(Item).ScaleSize(s => (s / 4) + 1)
             from separators in Gen.ArrayOf(Gen.Elements(",", ",", ", ", " ,", ",,", "\n,"), items.Count)
             select string.Concat(items.Select((item, i) => i == 0 ? item : separators[i] + item)))));

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property Any_text_gives_a_spec_or_clean_errors_and_never_throws() =>
        Prop.ForAll(AnySpec, input =>
        {
            var result = FormationSpec.Parse(input.Text, Flag);

            CleanResult.CheckFlag(result, input.Text, Flag);
            if (result.Ok)
            {
                var spec = result.Value;
                Assert.Equal(Flag, spec.Flag);
                Assert.DoesNotContain(FormationSpec.AllName, spec.Counts.Keys);
                Assert.All(spec.Counts, kv =>
                {
                    Assert.NotEmpty(kv.Key);
                    Assert.Equal(kv.Key.Trim(), kv.Key);
                    Assert.InRange(kv.Value, 0, int.MaxValue);
                });
                Assert.True(spec.All is null or >= 0);
            }
        });

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property A_spec_resolves_against_any_Procfile_to_a_count_per_type_or_clean_errors() =>
        Prop.ForAll(AnySpec, ValidProcfiles.Arbitrary, ParserInputs.Arbitrary(ParserInputs.Soup), (spec, procfile, only) =>
        {
            var parsed = FormationSpec.Parse(spec.Text, Flag);
            if (!parsed.Ok)
            {
                return;
            }
            var document = new ProcfileDocument("Procfile", procfile.Expected);
            string[] onlyTypes = only.Text.Length == 0 ? [] : only.Text.Split(',');

            var result = parsed.Value.Resolve(document, onlyTypes);

            if (result.Ok)
            {
                Assert.Equal(document.Types, result.Value.Entries.Select(e => e.Type));
                Assert.All(result.Value.Entries, e => Assert.InRange(e.Count, 0, int.MaxValue));
            }
            else
            {
                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
            }
        });

    [Property(MaxTest = ParserInputs.Iterations)]
    public Property A_spec_written_from_distinct_names_and_counts_reads_back_as_those_counts() =>
        Prop.ForAll(Arb.From(WrittenSpecs), written =>
        {
            var result = FormationSpec.Parse(written.Text, Flag);

            Assert.True(result.Ok, string.Join("\n", result.Errors));
            Assert.Equal(
                written.Counts.Where(c => c.Key != FormationSpec.AllName).OrderBy(c => c.Key, StringComparer.Ordinal),
                result.Value.Counts.OrderBy(c => c.Key, StringComparer.Ordinal));
            int? all = written.Counts.Where(c => c.Key == FormationSpec.AllName).Select(c => (int?)c.Value).SingleOrDefault();
            Assert.Equal(all, result.Value.All);
        });

    private static readonly Gen<WrittenSpec> WrittenSpecs =
        from items in Gen.NonEmptyListOf(
            from name in Gen.Frequency((6, ParserInputs.TypeName), (1, Gen.Constant(FormationSpec.AllName)))
            from count in Gen.Frequency((4, Gen.Choose(0, 100)), (1, Gen.Constant(int.MaxValue)))
            from before in ParserInputs.Blanks
            from after in ParserInputs.Blanks
            select (Name: name, Count: count, Text: $"{before}{name}{before}={after}{count}{after}"))
        let distinct = items.DistinctBy(i => i.Name).ToList()
        select new WrittenSpec(
            string.Join(",", distinct.Select(i => i.Text)),
            distinct.Select(i => KeyValuePair.Create(i.Name, i.Count)).ToList());
}

/// <summary>A generated <c>-m</c> value and the counts it sets.</summary>
internal sealed record WrittenSpec(string Text, IReadOnlyList<KeyValuePair<string, int>> Counts)
{
    /// <summary>Shown by FsCheck for a counterexample.</summary>
    public override string ToString() => Text;
}
