using Drover.Core.App;
using Drover.Core.Output;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.App;

public sealed class AppPlannerTests : IDisposable
{
    private const string ThreeTypes = "web: run web\nworker: run worker\nclock: tick\n";
    private static readonly Dictionary<string, string> NoOsEnvironment = [];

    private readonly TempDirectory _dir = new();

    public AppPlannerTests() => _dir.Write("Procfile", ThreeTypes);

    public void Dispose() => _dir.Dispose();

    private static PlanRequest Request(string? formation = null, int? port = null, params string[] types) =>
        new(new AppSettings(null, [], null), formation, port, types);

    private AppPlan PlanOk(PlanRequest request, IReadOnlyDictionary<string, string>? os = null)
    {
        var result = AppPlanner.Plan(request, _dir.Path, os ?? NoOsEnvironment);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private IReadOnlyList<string> PlanErrors(PlanRequest request, IReadOnlyDictionary<string, string>? os = null)
    {
        var result = AppPlanner.Plan(request, _dir.Path, os ?? NoOsEnvironment);
        Assert.False(result.Ok);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Without_flags_every_type_runs_once_from_port_5000_by_the_Foreman_rule()
    {
        var plan = PlanOk(Request());

        Assert.Equal(
            [("web.1", "5000"), ("worker.1", "5100"), ("clock.1", "5200")],
            plan.CreateInstances().Select(i => (i.Name.ToString(), i.Spec.Environment["PORT"])));
        Assert.Equal(_dir.Path, plan.App.Root);
    }

    [Fact]
    public void The_formation_flag_and_the_types_decide_the_counts()
    {
        Assert.Equal(["web.1", "web.2", "clock.1"], PlanOk(Request("web=2,clock=1")).Formation.Instances().Select(n => n.ToString()));
        Assert.Equal(["worker.1"], PlanOk(Request(null, null, "worker")).Formation.Instances().Select(n => n.ToString()));
        Assert.Equal(["worker.1", "worker.2", "worker.3"], PlanOk(Request("all=3", null, "worker")).Formation.Instances().Select(n => n.ToString()));
    }

    [Fact]
    public void The_port_flag_wins_over_PORT_from_the_env_files_which_wins_over_the_OS()
    {
        _dir.Write(".env", "PORT=7000\n");
        var os = new Dictionary<string, string> { ["PORT"] = "6000" };

        Assert.Equal(7000, PlanOk(Request(), os).Ports.BasePort);
        Assert.Equal(8000, PlanOk(Request(port: 8000), os).Ports.BasePort);
    }

    [Fact]
    public void A_port_above_65535_for_any_planned_instance_is_an_error_naming_it()
    {
        var errors = PlanErrors(Request("clock=1", 65400));

        Assert.Contains(errors, e => e.Contains("clock.1 port 65600", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_of_the_formation_and_of_the_port_are_reported_together()
    {
        var errors = PlanErrors(Request("nope=1"), new Dictionary<string, string> { ["PORT"] = "http" });

        Assert.Contains(errors, e => e.Contains("unknown process type 'nope'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PORT='http' is not a number", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_Procfile_stops_the_plan_with_its_file_and_line()
    {
        _dir.Write("Procfile", "web: run web\nthis is not a process\n");

        var errors = PlanErrors(Request());

        Assert.Contains(errors, e => e.Contains("Procfile:2", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_from_dot_foreman_fill_only_what_the_command_line_left_unset()
    {
        var defaults = new ForemanDefaults { Formation = "web=2", Port = 3000, Procfile = "Procfile" };

        var filled = Request().WithDefaults(defaults);
        var given = Request("clock=1", 4000).WithDefaults(defaults);

        Assert.Equal(("web=2", 3000, "Procfile"), (filled.Formation, filled.Port, filled.Settings.Procfile));
        Assert.Equal(("clock=1", 4000), (given.Formation, given.Port));
        Assert.Equal(3000, PlanOk(filled).Ports.BasePort);
    }

    [Fact]
    public void The_name_width_covers_every_planned_instance_and_system()
    {
        var plan = PlanOk(Request("worker=10"));

        Assert.Equal("worker.10".Length, plan.NameWidth);
        Assert.Equal(NameWidth.Minimum, PlanOk(Request("web=0,worker=0,clock=0")).NameWidth);
    }
}
