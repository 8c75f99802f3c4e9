using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using Drover.Core.Procfile;

namespace Drover.Core.Tests.Formation;

public sealed class PortPlanTests
{
    [Fact]
    public void The_base_is_5000_when_neither_flag_nor_environment_gives_one()
    {
        Assert.Equal(5000, PortPlan.Resolve(null, null).Value.BasePort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_PORT_counts_as_unset(string env)
    {
        Assert.Equal(5000, PortPlan.Resolve(null, env).Value.BasePort);
    }

    [Fact]
    public void PORT_from_the_environment_sets_the_base()
    {
        Assert.Equal(3000, PortPlan.Resolve(null, "3000").Value.BasePort);
        Assert.Equal(3000, PortPlan.Resolve(null, " 3000\n").Value.BasePort);
    }

    [Fact]
    public void The_flag_wins_over_the_environment()
    {
        Assert.Equal(8000, PortPlan.Resolve(8000, "3000").Value.BasePort);
        Assert.Equal(8000, PortPlan.Resolve(8000, "not a number").Value.BasePort);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void The_base_may_be_anything_from_1_to_65535(int port)
    {
        Assert.Equal(port, PortPlan.Resolve(port, null).Value.BasePort);
        Assert.Equal(port, PortPlan.Resolve(null, port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Value.BasePort);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void A_flag_out_of_range_is_an_error(int port)
    {
        var error = Assert.Single(PortPlan.Resolve(port, null).Errors);

        Assert.Equal("-p", error.File);
        Assert.Equal($"port {port} is out of range; expected 1 to 65535", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("50x0")]
    [InlineData("-5000")]
    [InlineData("+5000")]
    [InlineData("5000.0")]
    [InlineData("\0")]
    public void A_non_numeric_PORT_is_an_error_naming_PORT(string env)
    {
        var error = Assert.Single(PortPlan.Resolve(null, env).Errors);

        Assert.Equal(new Diagnostic("environment", 0, 0, error.Message), error);
        Assert.StartsWith("PORT='", error.Message);
        Assert.EndsWith("' is not a number; expected a port from 1 to 65535", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("99999999999999")]
    public void A_PORT_out_of_range_is_an_error_naming_PORT(string env)
    {
        var error = Assert.Single(PortPlan.Resolve(null, env).Errors);

        Assert.Equal($"PORT='{env}' is out of range; expected a port from 1 to 65535", error.Message);
    }

    [Fact]
    public void Each_type_gets_a_block_of_100_and_each_instance_the_next_port()
    {
        var plan = new PortPlan(5000);

        Assert.Equal(5000, plan.PortFor(0, 1));
        Assert.Equal(5001, plan.PortFor(0, 2));
        Assert.Equal(5100, plan.PortFor(1, 1));
        Assert.Equal(5203, plan.PortFor(2, 4));
    }

    [Fact]
    public void Ports_follow_the_base()
    {
        Assert.Equal(3101, new PortPlan(3000).PortFor(1, 2));
    }

    [Fact]
    public void Out_of_range_indexes_are_programming_errors()
    {
        var plan = new PortPlan(5000);

        Assert.Throws<ArgumentOutOfRangeException>(() => plan.PortFor(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.PortFor(0, 0));
    }

    [Fact]
    public void A_formation_whose_ports_would_pass_65535_is_an_error_naming_the_instance()
    {
        var procfile = ProcfileParser.Parse("web: a\nworker: b\n", "Procfile").Value;
        var formation = FormationSpec.Parse("web=1,worker=3").Value.Resolve(procfile, []).Value;

        Assert.True(new PortPlan(65000).Check(formation).Ok);
        var error = Assert.Single(new PortPlan(65434).Check(formation).Errors);
        Assert.Equal("base port 65434 gives worker.3 port 65536, above 65535; choose a lower base", error.Message);
    }
}
