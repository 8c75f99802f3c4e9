using Drover.Core.App;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.App;

/// <summary>The settings file through the one planning path: which file, the Procfile's part, formation and instances.</summary>
public sealed class SettingsPlanningTests : IDisposable
{
    private const string Procfile = "web: run web\nworker: run worker\nclock: tick\n";
    private static readonly Dictionary<string, string> Os = new() { ["HOME"] = "/home/u", ["SHARED"] = "os" };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PlanRequest Request(string? procfile = null, string? settings = null, string? formation = null, params string[] types) =>
        new(new AppSettings(procfile, [], null) { SettingsFile = settings }, formation, null, types);

    private AppPlan PlanOk(PlanRequest request)
    {
        var result = AppPlanner.Plan(request, _dir.Path, Os);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private List<string> PlanErrors(PlanRequest request)
    {
        var result = AppPlanner.Plan(request, _dir.Path, Os);
        Assert.False(result.Ok);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    private static Dictionary<string, int> Counts(AppPlan plan) => plan.Formation.Entries.ToDictionary(e => e.Type.Name, e => e.Count);

    [Fact]
    public void Drover_yaml_beside_the_Procfile_is_read_by_default()
    {
        _dir.Write("Procfile", Procfile);
        string settings = _dir.Write("drover.yaml", "processes:\n  web:\n    replicas: 2\n");

        var plan = PlanOk(Request());

        Assert.Equal(settings, plan.Settings.Path);
        Assert.Equal(2, plan.Settings.For("web").Replicas);
    }

    [Fact]
    public void Without_a_settings_file_every_type_has_the_defaults()
    {
        _dir.Write("Procfile", Procfile);

        Assert.Null(PlanOk(Request()).Settings.Path);
    }

    [Fact]
    public void Settings_names_another_file()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web:\n    replicas: 2\n");
        string other = _dir.Write("conf/other.yaml", "processes:\n  web:\n    replicas: 4\n");

        var plan = PlanOk(Request(settings: "conf/other.yaml"));

        Assert.Equal(other, plan.Settings.Path);
        Assert.Equal(4, Counts(plan)["web"]);
    }

    [Fact]
    public void A_yaml_file_given_as_f_gives_the_types_and_commands_in_file_order()
    {
        string file = _dir.Write("process-compose.yaml", "processes:\n  db:\n    command: \"echo $$DB\"\n  web:\n    command: serve\n    depends_on: [db]\n");

        var plan = PlanOk(Request(procfile: "process-compose.yaml"));

        Assert.Equal([("db", "echo $DB"), ("web", "serve")], plan.App.Procfile.Types.Select(t => (t.Name, t.Command)));
        Assert.Equal(file, plan.Settings.Path);
        Assert.Equal(_dir.Path, plan.App.Root);
    }

    [Fact]
    public void A_yaml_file_given_as_f_needs_a_command_for_each_process()
    {
        _dir.Write("pc.yml", "processes:\n  db:\n    command: run-db\n  web:\n    replicas: 2\n");

        Assert.Equal([$"{_dir.Combine("pc.yml")}:4: process 'web' has no command"], PlanErrors(Request(procfile: "pc.yml")));
    }

    [Fact]
    public void A_type_only_in_the_settings_file_is_an_error_when_a_Procfile_gives_the_types()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web: {}\n  db:\n    command: run-db\n");

        var error = Assert.Single(PlanErrors(Request()));
        Assert.StartsWith($"{_dir.Combine("drover.yaml")}:3: process type 'db' is not in the Procfile", error);
    }

    [Fact]
    public void The_Procfiles_command_wins_with_a_warning()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web:\n    command: other\n");

        var plan = PlanOk(Request());

        Assert.Equal("run web", plan.Factory.Create("web", 1).Spec.Command);
        Assert.Contains(plan.App.Warnings, w => w.ToString().EndsWith("warning: web.command is ignored: the Procfile gives web's command", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dependency_cycle_or_unknown_type_stops_planning()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web:\n    depends_on: [worker]\n  worker:\n    depends_on: [web, db]\n");

        var errors = PlanErrors(Request());

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.EndsWith("worker.depends_on: unknown process type 'db'; the app defines: web, worker, clock", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("web.depends_on: dependency cycle web -> worker -> web", StringComparison.Ordinal));
    }

    [Fact]
    public void Disabled_types_do_not_run_with_the_formation_but_do_when_named()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  clock:\n    disabled: true\n");

        Assert.Equal(0, Counts(PlanOk(Request()))["clock"]);
        Assert.Equal(0, Counts(PlanOk(Request(formation: "all=2")))["clock"]);
        Assert.Equal(3, Counts(PlanOk(Request(formation: "clock=3")))["clock"]);
        Assert.Equal(1, Counts(PlanOk(Request(types: "clock")))["clock"]);
    }

    [Fact]
    public void Replicas_is_the_default_count_and_m_wins()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web:\n    replicas: 3\n");

        Assert.Equal(new Dictionary<string, int> { ["web"] = 3, ["worker"] = 1, ["clock"] = 1 }, Counts(PlanOk(Request())));
        Assert.Equal(1, Counts(PlanOk(Request(formation: "web=1")))["web"]);
        Assert.Equal(2, Counts(PlanOk(Request(formation: "all=2")))["web"]);
        Assert.Equal(0, Counts(PlanOk(Request(formation: "worker=1")))["web"]);
        Assert.Equal(3, Counts(PlanOk(Request(types: "web")))["web"]);
    }

    [Fact]
    public void A_types_environment_is_laid_over_the_apps_in_order_and_PORT_and_PS_over_it()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write(".env", "SHARED=dotenv\nFROM_DOTENV=1\n");
        _dir.Write("web/.env.web", "FILE=web\nSHARED=envfile\n");
        _dir.Write("drover.yaml", """
            environment:
              - GLOBAL=g
              - SHARED=global
            processes:
              web:
                working_dir: web
                env_file: .env.web
                environment:
                  OWN: o
                  PORT: "1"
            """);

        var plan = PlanOk(Request());
        var web = plan.Factory.Create("web", 1).Spec;
        var worker = plan.Factory.Create("worker", 1).Spec;

        Assert.Equal(("g", "envfile", "web", "o", "1", "web.1"), (web.Environment["GLOBAL"], web.Environment["SHARED"], web.Environment["FILE"], web.Environment["OWN"], web.Environment["FROM_DOTENV"], web.Environment["PS"]));
        Assert.Equal("5000", web.Environment["PORT"]);
        Assert.Equal(_dir.Combine("web"), web.WorkingDirectory);
        Assert.Equal(("g", "global", _dir.Path), (worker.Environment["GLOBAL"], worker.Environment["SHARED"], worker.WorkingDirectory));
        Assert.False(worker.Environment.ContainsKey("OWN"));
    }

    [Fact]
    public void A_missing_env_file_of_a_type_is_an_error()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web:\n    env_file: nope.env\n");

        Assert.Contains(PlanErrors(Request()), e => e.Contains("nope.env", StringComparison.Ordinal));
    }

    [Fact]
    public void A_types_backoff_seconds_is_a_fixed_delay()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("drover.yaml", "processes:\n  web:\n    availability:\n      backoff_seconds: 2\n");

        var web = PlanOk(Request()).Factory.Create("web", 1);

        Assert.Equal(TimeSpan.FromSeconds(2), web.Backoff.Next(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(2), web.Backoff.Next(TimeSpan.Zero));
    }

    [Fact]
    public void A_foreman_file_may_name_the_settings_file()
    {
        _dir.Write("Procfile", Procfile);
        _dir.Write("s.yaml", "processes:\n  web:\n    replicas: 5\n");
        var defaults = ForemanDefaults.Parse("settings: s.yaml\n", ".foreman").Value;

        Assert.Equal(5, Counts(PlanOk(Request().WithDefaults(defaults)))["web"]);
    }
}
