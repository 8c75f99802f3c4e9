using Drover.Core.Settings;
using Drover.Core.Settings.Parsing;

namespace Drover.Core.Tests.Settings;

public sealed class DependencyGraphTests
{
    private static SettingsDocument Parse(string text)
    {
        var result = SettingsParser.Parse(text, "pc.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    [Fact]
    public void A_dependency_on_an_unknown_type_names_file_line_and_the_known_types()
    {
        var doc = Parse("processes:\n  web:\n    depends_on:\n      dbb:\n        condition: process_started\n");

        var error = Assert.Single(DependencyGraph.Check(doc, ["web", "db"]));
        Assert.Equal("pc.yaml:4: web.depends_on: unknown process type 'dbb'; the app defines: web, db", error.ToString());
    }

    [Fact]
    public void A_cycle_is_named_in_full()
    {
        var doc = Parse("""
            processes:
              a:
                depends_on: [b]
              b:
                depends_on: [c]
              c:
                depends_on: [a]
              d:
                depends_on: [a]
            """);

        var error = Assert.Single(DependencyGraph.Check(doc, ["a", "b", "c", "d"]));
        Assert.Equal("pc.yaml:3: a.depends_on: dependency cycle a -> b -> c -> a", error.ToString());
    }

    [Fact]
    public void A_type_depending_on_itself_is_a_cycle()
    {
        var doc = Parse("processes:\n  a:\n    depends_on: [a]\n");

        Assert.Equal("pc.yaml:3: a.depends_on: dependency cycle a -> a", Assert.Single(DependencyGraph.Check(doc, ["a"])).ToString());
    }

    [Fact]
    public void Levels_put_each_type_after_everything_it_depends_on_sorted_within_a_level()
    {
        // process-compose's rhombus fixture: 1 <- 2 <- 3 <- 4 <- 5 <- {6, 7} <- 8
        var doc = Parse("""
            processes:
              p1: {depends_on: [p2]}
              p2: {depends_on: [p3]}
              p3: {depends_on: [p4]}
              p4: {depends_on: [p5]}
              p5: {depends_on: [p7, p6]}
              p6: {depends_on: [p8]}
              p7: {depends_on: [p8]}
              p8: {}
              lone: {}
            """);
        string[] types = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "lone"];

        Assert.Empty(DependencyGraph.Check(doc, types));
        Assert.Equal([["lone", "p8"], ["p6", "p7"], ["p5"], ["p4"], ["p3"], ["p2"], ["p1"]], DependencyGraph.Levels(doc, types));
    }
}
