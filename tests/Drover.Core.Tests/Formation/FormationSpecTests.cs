using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using Drover.Core.Procfile;

namespace Drover.Core.Tests.Formation;

public sealed class FormationSpecTests
{
    private static readonly ProcfileDocument WebWorker = Procfile("web", "worker");

    private static ProcfileDocument Procfile(params string[] names) =>
        new("Procfile", names.Select((n, i) => new ProcessType(n, "run " + n, i + 1)).ToList());

    private static FormationSpec ParseOk(string? text)
    {
        var result = FormationSpec.Parse(text);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private static Diagnostic ParseError(string text) => Assert.Single(FormationSpec.Parse(text).Errors);

    private static IEnumerable<(string Name, int Count)> Counts(string? spec, ProcfileDocument procfile, params string[] only)
    {
        var result = ParseOk(spec).Resolve(procfile, only);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value.Entries.Select(e => (e.Type.Name, e.Count));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_spec_sets_nothing(string? text)
    {
        var spec = ParseOk(text);

        Assert.Empty(spec.Counts);
        Assert.Null(spec.All);
    }

    [Fact]
    public void Named_counts_are_read()
    {
        var spec = ParseOk("web=2,worker=0");

        Assert.Equal(2, spec.Counts["web"]);
        Assert.Equal(0, spec.Counts["worker"]);
        Assert.Null(spec.All);
    }

    [Fact]
    public void All_sets_the_default_and_is_not_a_type()
    {
        var spec = ParseOk("all=3,web=1");

        Assert.Equal(3, spec.All);
        Assert.Equal(["web"], spec.Counts.Keys);
    }

    [Fact]
    public void Spaces_around_items_and_around_the_equals_sign_are_allowed()
    {
        var spec = ParseOk("  web = 2 ,\tworker=1  ");

        Assert.Equal(2, spec.Counts["web"]);
        Assert.Equal(1, spec.Counts["worker"]);
    }

    [Fact]
    public void An_item_without_equals_is_an_error_at_its_column()
    {
        Assert.Equal(new Diagnostic("-m", 1, 8, "expected TYPE=COUNT but found 'worker' (no '=')"), ParseError("web=1, worker"));
    }

    [Fact]
    public void Diagnostics_use_the_flag_as_the_user_spelled_it()
    {
        var error = Assert.Single(FormationSpec.Parse("web", "--formation").Errors);

        Assert.Equal("--formation", error.File);
    }

    [Theory]
    [InlineData("web=1,,worker=1", 7, "empty item in -m")]
    [InlineData("web=1,", 7, "empty item in -m")]
    [InlineData("=2", 1, "missing process type name before '=' in '=2'")]
    [InlineData("web=", 1, "missing count after '=' in 'web='")]
    public void Empty_parts_of_an_item_are_errors(string text, int column, string message)
    {
        var error = ParseError(text);

        Assert.Equal(column, error.Column);
        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData("web=two", "count 'two' for 'web' is not a whole number")]
    [InlineData("web=1.5", "count '1.5' for 'web' is not a whole number")]
    [InlineData("web=+1", "count '+1' for 'web' is not a whole number")]
    [InlineData("web=1 2", "count '1 2' for 'web' is not a whole number")]
    [InlineData("web=-1", "count '-1' for 'web' is negative; use 0 to disable a type")]
    [InlineData("all=-3", "count '-3' for 'all' is negative; use 0 to disable a type")]
    [InlineData("web=99999999999", "count '99999999999' for 'web' is too large")]
    public void A_bad_count_is_an_error_quoting_it(string text, string message)
    {
        Assert.Equal(new Diagnostic("-m", 1, 1, message), ParseError(text));
    }

    [Fact]
    public void A_duplicate_type_is_an_error_naming_the_first_column()
    {
        Assert.Equal(new Diagnostic("-m", 1, 13, "duplicate process type 'web' in -m (first given at column 1)"),
            ParseError("web=1,all=2,web=3"));
    }

    [Fact]
    public void A_duplicate_all_is_an_error()
    {
        Assert.Contains("duplicate process type 'all'", ParseError("all=1, all=2").Message);
    }

    [Fact]
    public void All_bad_items_are_reported()
    {
        var errors = FormationSpec.Parse("a, b=x, c=-1, d=1, d=2").Errors;

        Assert.Equal([1, 4, 9, 20], errors.Select(e => e.Column));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_spec_every_type_runs_once(string? spec)
    {
        Assert.Equal([("web", 1), ("worker", 1)], Counts(spec, WebWorker));
    }

    [Fact]
    public void When_the_spec_names_types_the_types_it_does_not_name_do_not_run_as_in_foreman()
    {
        Assert.Equal([("web", 3), ("worker", 0)], Counts("web=3", WebWorker));
    }

    [Fact]
    public void A_type_not_named_runs_all_when_all_is_given()
    {
        Assert.Equal([("web", 1), ("worker", 4)], Counts("all=4,web=1", WebWorker));
    }

    [Fact]
    public void A_count_of_zero_disables_a_type()
    {
        Assert.Equal([("web", 0), ("worker", 1)], Counts("web=0,worker=1", WebWorker));
        Assert.Equal([("web", 0), ("worker", 0)], Counts("all=0", WebWorker));
    }

    [Fact]
    public void Naming_types_on_the_command_line_disables_the_others()
    {
        var procfile = Procfile("web", "worker", "clock");

        Assert.Equal([("web", 0), ("worker", 1), ("clock", 1)], Counts(null, procfile, "worker", "clock"));
        Assert.Equal([("web", 0), ("worker", 2), ("clock", 3)], Counts("all=3,worker=2,web=5", procfile, "worker", "clock"));
        Assert.Equal([("web", 1), ("worker", 0), ("clock", 0)], Counts("worker=2", procfile, "web"));
    }

    [Fact]
    public void An_unknown_type_in_the_spec_is_an_error_listing_the_defined_types()
    {
        var result = ParseOk("web=1, wbe=2").Resolve(WebWorker, []);

        Assert.Equal(new Diagnostic("-m", 1, 8, "unknown process type 'wbe' in -m; the Procfile defines: web, worker"),
            Assert.Single(result.Errors));
    }

    [Fact]
    public void An_unknown_type_on_the_command_line_is_an_error_listing_the_defined_types()
    {
        var result = FormationSpec.Empty.Resolve(WebWorker, ["web", "wrk", "wrk"]);

        Assert.Equal(new Diagnostic("command line", 0, 0,
            "unknown process type 'wrk' on the command line; the Procfile defines: web, worker"), Assert.Single(result.Errors));
    }

    [Fact]
    public void Unknown_types_in_both_places_are_all_reported()
    {
        var result = ParseOk("a=1,b=1").Resolve(WebWorker, ["c"]);

        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void Entries_follow_procfile_order_and_count_every_type()
    {
        var formation = ParseOk("c=1,a=2").Resolve(Procfile("a", "b", "c"), []).Value;

        Assert.Equal([0, 1, 2], formation.Entries.Select(e => e.TypeIndex));
        Assert.Equal(["a", "b", "c"], formation.Entries.Select(e => e.Type.Name));
    }

    [Fact]
    public void Instances_lists_every_instance_in_procfile_order()
    {
        var formation = ParseOk("a=2,b=0,c=1").Resolve(Procfile("a", "b", "c"), []).Value;

        Assert.Equal(["a.1", "a.2", "c.1"], formation.Instances().Select(i => i.ToString()));
    }

    [Fact]
    public void The_foreman_example_gives_foremans_ports()
    {
        // Foreman 0.87.2: Procfile a, b, c with `-m a=2,c=1` runs a.1=5000, a.2=5001, c.1=5200 and no b.
        var formation = ParseOk("a=2,c=1").Resolve(Procfile("a", "b", "c"), []).Value;
        var plan = PortPlan.Resolve(null, null).Value;

        var ports = formation.Entries
            .SelectMany(e => Enumerable.Range(1, e.Count).Select(k => ($"{e.Type.Name}.{k}", plan.PortFor(e.TypeIndex, k))));

        Assert.Equal(0, formation.Entries.Single(e => e.Type.Name == "b").Count);
        Assert.Equal([("a.1", 5000), ("a.2", 5001), ("c.1", 5200)], ports);
    }

    [Fact]
    public void An_instance_name_formats_as_type_dot_index()
    {
        Assert.Equal("web.2", new InstanceName("web", 2).ToString());
    }

    [Theory]
    [InlineData("web.1", "web", 1)]
    [InlineData("my-app_2.10", "my-app_2", 10)]
    public void An_instance_name_parses_what_it_formats(string text, string type, int index)
    {
        Assert.True(InstanceName.TryParse(text, out var name));
        Assert.Equal(new InstanceName(type, index), name);
        Assert.Equal(text, name.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("web")]
    [InlineData("web.")]
    [InlineData(".1")]
    [InlineData("web.0")]
    [InlineData("web.01")]
    [InlineData("web.-1")]
    [InlineData("web.+1")]
    [InlineData("web. 1")]
    [InlineData("web.1.2")]
    [InlineData("w b.1")]
    [InlineData("web.99999999999")]
    [InlineData("web.١")]
    public void Text_that_is_not_an_instance_name_does_not_parse(string? text)
    {
        Assert.False(InstanceName.TryParse(text, out var name));
        Assert.Equal(default, name);
    }

    [Theory]
    [InlineData("=")]
    [InlineData(",")]
    [InlineData(",,,")]
    [InlineData("==")]
    [InlineData("a==1")]
    [InlineData("\0=\0")]
    [InlineData("'")]
    [InlineData(":")]
    [InlineData("web=1\u0000")]
    public void Garbage_gives_a_value_or_errors_but_never_throws(string text)
    {
        var result = FormationSpec.Parse(text);

        Assert.True(result.Ok || result.Errors.Count > 0);
        if (result.Ok)
        {
            Assert.True(result.Value.Resolve(WebWorker, [text]).Errors.Count > 0);
        }
    }

    [Fact]
    public void A_huge_spec_gives_errors_without_throwing()
    {
        Assert.False(FormationSpec.Parse(new string('x', 1_000_000)).Ok);
        Assert.False(FormationSpec.Parse(string.Join(",", Enumerable.Repeat("a=1", 10_000))).Ok);
    }
}
