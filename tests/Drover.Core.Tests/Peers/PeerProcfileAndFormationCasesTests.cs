using Drover.Core.Formation;
using Drover.Core.Procfile;

namespace Drover.Core.Tests.Peers;

/// <summary>
/// Procfile, formation and PORT cases from the peers' own test suites (issue #14 item 7), each naming its source.
/// </summary>
public sealed class PeerProcfileAndFormationCasesTests
{
    private static ProcfileDocument Procfile(string text)
    {
        var result = ProcfileParser.Parse(text, "Procfile");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    // Foreman spec/spec_helper.rb write_procfile, used by spec/foreman/procfile_spec.rb.
    [Fact]
    public void Foreman_procfile_spec_reads_tabs_dashes_underscores_and_skips_comments_and_blank_lines()
    {
        var doc = Procfile("alpha: ./alpha\n\n\nbravo:\t./bravo\nfoo_bar:\t./foo_bar\nfoo-bar:\t./foo-bar\n# baz:\t./baz\n");

        Assert.Equal(["alpha", "bravo", "foo_bar", "foo-bar"], doc.Types.Select(t => t.Name));
        Assert.Equal(["./alpha", "./bravo", "./foo_bar", "./foo-bar"], doc.Types.Select(t => t.Command));
        Assert.Null(doc.Find("unicorn"));
    }

    // honcho tests/test_environ.py, test_parse_procfile and test_parse_procfile_ordered.
    [Theory]
    [InlineData("web: command\n", "web", "command")]
    [InlineData("web: command", "web", "command")]
    [InlineData("-foo_bar: command\n", "-foo_bar", "command")]
    [InlineData("web: sh -c \"echo $FOOBAR\" >/dev/null 2>&1\n", "web", "sh -c \"echo $FOOBAR\" >/dev/null 2>&1")]
    public void Honcho_parse_procfile_cases(string text, string name, string command)
    {
        Assert.Equal(command, Assert.Single(Procfile(text).Types, t => t.Name == name).Command);
    }

    [Fact]
    public void Honcho_procfile_keeps_order()
    {
        var doc = Procfile("one: onecommand\ntwo: twocommand\nthree: twocommand\nfour: fourcommand\n");

        Assert.Equal(["one", "two", "three", "four"], doc.Types.Select(t => t.Name));
    }

    // honcho skips "+foo: command" (an invalid name); Drover reports it. honcho refuses duplicate names, as Drover does.
    [Theory]
    [InlineData("+foo: command\n")]
    [InlineData("foo: echo 1\nfoo: echo 2\n")]
    public void Honcho_invalid_and_duplicate_names_are_errors(string text)
    {
        Assert.False(ProcfileParser.Parse(text, "Procfile").Ok);
    }

    private static Drover.Core.Formation.Formation Resolve(ProcfileDocument doc, string? spec, params string[] only)
    {
        var parsed = FormationSpec.Parse(spec);
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        var formation = parsed.Value.Resolve(doc, only);
        Assert.True(formation.Ok, string.Join("\n", formation.Errors));
        return formation.Value;
    }

    private static IEnumerable<string> NamesAndPorts(Drover.Core.Formation.Formation formation, PortPlan ports) =>
        formation.Entries.SelectMany(e => Enumerable.Range(1, e.Count).Select(k => $"{e.Type.Name}.{k}:{ports.PortFor(e.TypeIndex, k)}"));

    // honcho test_expand_processes_* : names, concurrency and ports (base, +100 per type, +1 per instance).
    [Fact]
    public void Honcho_expand_processes_names_concurrency_and_ports()
    {
        var doc = Procfile("foo: some command\nbar: another command\n");

        Assert.Equal(["foo.1:8000", "bar.1:8100"], NamesAndPorts(Resolve(doc, null), new PortPlan(8000)));
        Assert.Equal(
            ["foo.1:4000", "foo.2:4001", "foo.3:4002", "bar.1:4100", "bar.2:4101"],
            NamesAndPorts(Resolve(doc, "foo=3,bar=2"), new PortPlan(4000)));
    }

    // honcho test_expand_processes_port_from_env_overrides: honcho lets $PORT win over --port. Drover, like
    // Foreman (lib/foreman/engine.rb base_port: options[:port] || env["PORT"] || 5000), lets -p win.
    [Fact]
    public void Port_flag_wins_over_PORT_as_in_Foreman_not_honcho()
    {
        Assert.Equal(8000, PortPlan.Resolve(8000, "5000").Value.BasePort);
    }

    // forego start_test.go TestPortFromEnv; Foreman engine_spec "should set port from .env if specified".
    [Theory]
    [InlineData(null, 5000)]
    [InlineData("4000", 4000)]
    [InlineData("9000", 9000)]
    public void Forego_and_Foreman_base_port_from_PORT_else_5000(string? port, int expected)
    {
        Assert.Equal(expected, PortPlan.Resolve(null, port).Value.BasePort);
    }

    [Fact]
    public void Forego_a_PORT_that_is_not_a_number_fails()
    {
        Assert.False(PortPlan.Resolve(null, "forego").Ok);
    }

    // forego start_test.go TestParseConcurrencyFlag*.
    [Theory]
    [InlineData("", 0)]
    [InlineData("foo=2", 1)]
    [InlineData("foo=2,bar=3", 2)]
    public void Forego_parse_concurrency_valid(string spec, int named)
    {
        var parsed = FormationSpec.Parse(spec);

        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        Assert.Equal(named, parsed.Value.Counts.Count);
    }

    [Theory]
    [InlineData("foo=x")]
    [InlineData("foo===2")]
    [InlineData("foo=")]
    [InlineData("=")]
    [InlineData("=1")]
    [InlineData(",")]
    [InlineData(",,,")]
    public void Forego_parse_concurrency_invalid(string spec)
    {
        Assert.False(FormationSpec.Parse(spec).Ok);
    }

    [Fact]
    public void Forego_parse_concurrency_with_whitespace()
    {
        var parsed = FormationSpec.Parse("foo   =   2, bar = 3");

        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        Assert.Equal(2, parsed.Value.Counts["foo"]);
        Assert.Equal(3, parsed.Value.Counts["bar"]);
    }

    // Foreman spec/foreman/engine_spec.rb "handles concurrency": -m alpha=2 runs two alpha and no bravo.
    [Fact]
    public void Foreman_engine_formation_runs_only_the_named_types()
    {
        var doc = Procfile("alpha: ./alpha\nbravo: ./bravo\n");

        Assert.Equal(["alpha.1:5000", "alpha.2:5001"], NamesAndPorts(Resolve(doc, "alpha=2"), new PortPlan(5000)));
    }
}
