using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Procfile;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.App;

public sealed class LaunchPlannerTests
{
    private static readonly ProcfileDocument Procfile =
        ProcfileParser.Parse("web: bundle exec puma\nworker: run worker\nclock: tick --every 5\n", "Procfile").Value;

    private static IReadOnlyList<Instance> Plan(string formation, IReadOnlyDictionary<string, string>? env = null, int basePort = 5000) =>
        new InstanceFactory(Procfile, new PortPlan(basePort), env ?? new Dictionary<string, string>(), "/srv/app", BackoffOptions.Default)
            .CreateAll(FormationSpec.Parse(formation).Value.Resolve(Procfile, []).Value);

    [Fact]
    public void One_pending_instance_per_process_in_Procfile_order()
    {
        var instances = Plan("clock=1,web=2");

        Assert.Equal(["web.1", "web.2", "clock.1"], instances.Select(i => i.Name.ToString()));
        Assert.Equal(["web.1", "web.2", "clock.1"], instances.Select(i => i.Spec.Name));
        Assert.All(instances, i => Assert.Equal(InstanceState.Pending, i.State));
    }

    [Fact]
    public void Each_instance_gets_PORT_by_the_Foreman_rule_and_PS_and_DYNO_set_to_its_name()
    {
        var instances = Plan("web=2,clock=1", basePort: 3000);

        Assert.Equal(
            [("3000", "web.1"), ("3001", "web.2"), ("3200", "clock.1")],
            instances.Select(i => (i.Spec.Environment["PORT"], i.Spec.Environment["PS"])));
        Assert.All(instances, i => Assert.Equal(i.Name.ToString(), i.Spec.Environment["DYNO"]));
    }

    [Fact]
    public void Each_instance_runs_its_type_command_in_the_working_directory()
    {
        var instances = Plan("");

        Assert.Equal(["bundle exec puma", "run worker", "tick --every 5"], instances.Select(i => i.Spec.Command));
        Assert.All(instances, i => Assert.Equal("/srv/app", i.Spec.WorkingDirectory));
    }

    [Fact]
    public void The_environment_is_copied_per_instance_and_PORT_PS_DYNO_replace_inherited_values()
    {
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://db", ["PORT"] = "9999", ["PS"] = "x" };

        var instances = Plan("web=2", env);

        Assert.All(instances, i => Assert.Equal("postgres://db", i.Spec.Environment["DATABASE_URL"]));
        Assert.Equal(["5000", "5001"], instances.Select(i => i.Spec.Environment["PORT"]));
        Assert.Equal(["web.1", "web.2"], instances.Select(i => i.Spec.Environment["PS"]));
        Assert.Equal(new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://db", ["PORT"] = "9999", ["PS"] = "x" }, env);
    }

    [Fact]
    public void Output_is_named_after_the_instance_and_colored_by_the_type_position()
    {
        var instances = Plan("web=2,clock=1");

        Assert.Equal(
            [("web.1", 0), ("web.2", 0), ("clock.1", 2)],
            instances.Select(i => (i.Output.Name, i.Output.ColorIndex)));
    }

    [Fact]
    public void The_name_width_is_that_of_the_widest_instance_name_and_never_less_than_system()
    {
        Assert.Equal(8, NameWidth.Of(Plan("worker=1,web=1").Select(i => i.Name.ToString())));
        Assert.Equal(6, NameWidth.Of(Plan("web=10").Select(i => i.Name.ToString())));
        Assert.Equal(6, NameWidth.Of(Plan("web=1").Select(i => i.Name.ToString())));
        Assert.Equal(6, NameWidth.Of(Plan("web=0,worker=0,clock=0").Select(i => i.Name.ToString())));
    }
}
