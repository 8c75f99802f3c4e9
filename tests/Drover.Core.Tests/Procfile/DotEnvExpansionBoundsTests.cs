using System.Text;
using Drover.Core.Procfile;

namespace Drover.Core.Tests.Procfile;

/// <summary>Issue #13 item 4: a few hundred bytes of .env must not expand into gigabytes.</summary>
public sealed class DotEnvExpansionBoundsTests
{
    private static string? NoLookup(string name) => null;

    /// <summary>The attack from the issue: A0=x, then each level repeats the one before it ten times.</summary>
    private static string Bomb(int levels)
    {
        var text = new StringBuilder("A0=xxxxxxxxxx\n");
        for (int k = 1; k <= levels; k++)
        {
            text.Append($"A{k}=\"").Append(string.Concat(Enumerable.Repeat($"${{A{k - 1}}}", 10))).Append("\"\n");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(30)]
    public void Repeated_doubling_is_refused_at_the_line_that_crosses_the_value_bound(int levels)
    {
        var result = DotEnvParser.Parse(Bomb(levels), ".env", NoLookup);

        Assert.False(result.Ok);
        // A4 is 100,000 characters; A5 would be 1,000,000, over the 131,072 one variable may have.
        var first = result.Errors[0];
        Assert.Equal((".env", 6), (first.File, first.Line));
        Assert.Contains("would make A5 longer than 131072 characters", first.Message);
        Assert.EndsWith(".env expansion is bounded", first.Message);
    }

    [Fact]
    public void The_total_produced_by_expansion_across_files_is_bounded()
    {
        var scope = new EnvScope(NoLookup);
        string big = new('x', 100_000);
        Assert.True(DotEnvParser.Parse($"BIG={big}\n", "a.env", scope).Ok);
        var lines = string.Concat(Enumerable.Range(1, 11).Select(i => $"C{i}=\"${{BIG}}\"\n"));

        var result = DotEnvParser.Parse(lines, "b.env", scope);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("b.env", 11), (error.File, error.Line));
        Assert.Contains($"over {EnvScope.MaxExpandedTotal} characters", error.Message);
    }

    [Fact]
    public void A_chain_deeper_than_the_bound_is_refused_naming_its_line()
    {
        var text = new StringBuilder("A0=x\n");
        for (int k = 1; k <= EnvScope.MaxDepth + 1; k++)
        {
            text.Append($"A{k}=\"${{A{k - 1}}}\"\n");
        }

        var result = DotEnvParser.Parse(text.ToString(), ".env", NoLookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal(EnvScope.MaxDepth + 2, error.Line);
        Assert.Contains($"more than the {EnvScope.MaxDepth} allowed", error.Message);
    }

    [Fact]
    public void A_chain_as_deep_as_the_bound_is_accepted()
    {
        var text = new StringBuilder("A0=x\n");
        for (int k = 1; k <= EnvScope.MaxDepth; k++)
        {
            text.Append($"A{k}=\"<${{A{k - 1}}}>\"\n");
        }

        var result = DotEnvParser.Parse(text.ToString(), ".env", NoLookup);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(new string('<', 10) + "x" + new string('>', 10), result.Value[^1].Value);
    }

    [Fact]
    public void A_long_literal_value_is_not_limited_only_expansion_is()
    {
        string big = new('v', 1_000_000);

        var result = DotEnvParser.Parse($"A={big}\nB=\"{big}\"\n", ".env", NoLookup);

        Assert.True(result.Ok);
    }
}
