using Drover.Core.Settings;
using Drover.Core.Tests.Support;
using Drover.Core.Watch;

namespace Drover.Core.Tests.Watch;

/// <summary>Which files restart which type: the flag, the settings key, globs and directories.</summary>
public sealed class WatchTargetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private WatchTarget Target(params string[] paths) => WatchTarget.Create("web", new WatchSpec(paths, [], false), _dir.Path, []);

    [Fact]
    public void A_directory_means_every_file_below_it()
    {
        _dir.CreateFolder("lib/deep");
        var target = Target("lib");
        Assert.True(target.Wants(_dir.Combine("lib/a.rb")));
        Assert.True(target.Wants(_dir.Combine("lib/deep/b.rb")));
        Assert.False(target.Wants(_dir.Combine("src/a.rb")));
        Assert.Equal([_dir.Combine("lib")], target.Bases);
    }

    [Fact]
    public void A_glob_matches_only_its_files_and_watches_from_its_literal_prefix()
    {
        _dir.CreateFolder("src/models");
        var target = Target("src/**/*.rb");
        Assert.True(target.Wants(_dir.Combine("src/models/user.rb")));
        Assert.True(target.Wants(_dir.Combine("src/app.rb")));
        Assert.False(target.Wants(_dir.Combine("src/app.js")));
        Assert.Equal([_dir.Combine("src")], target.Bases);
    }

    [Fact]
    public void A_file_is_watched_through_its_directory()
    {
        _dir.Write("config.ru", "");
        var target = Target("config.ru");
        Assert.True(target.Wants(_dir.Combine("config.ru")));
        Assert.False(target.Wants(_dir.Combine("other.ru")));
        Assert.Equal([_dir.Path], target.Bases);
    }

    [Fact]
    public void A_path_that_does_not_exist_yet_is_watched_from_its_nearest_existing_directory()
    {
        var target = Target("app/views");
        Assert.Equal([_dir.Path], target.Bases);
        Assert.True(target.Wants(_dir.Combine("app/views")));
    }

    [Fact]
    public void Ignored_files_are_not_wanted_even_when_the_glob_matches()
    {
        _dir.Write(".gitignore", "*.gen.rb\n");
        _dir.CreateFolder("src/node_modules");
        var target = Target("src");
        Assert.False(target.Wants(_dir.Combine("src/a.gen.rb")));
        Assert.False(target.Wants(_dir.Combine("src/node_modules/x.js")));
        Assert.False(target.Descends(_dir.Combine("src/node_modules")));
        Assert.True(target.Descends(_dir.Combine("src")));
    }

    [Fact]
    public void The_flag_takes_type_equals_paths_and_gathers_repeated_types()
    {
        var parsed = WatchFlag.Parse(["web=src/**/*.rb,config", "worker=lib", "web=Gemfile"]);
        Assert.True(parsed.Ok);
        Assert.Equal(["src/**/*.rb", "config", "Gemfile"], parsed.Value["web"].Paths);
        Assert.Equal(["lib"], parsed.Value["worker"].Paths);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("=src")]
    [InlineData("web=")]
    [InlineData("web=,")]
    public void A_flag_without_type_or_paths_is_an_error_that_shows_the_form(string value)
    {
        var parsed = WatchFlag.Parse([value]);
        Assert.False(parsed.Ok);
        Assert.Contains("TYPE=PATH", parsed.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains(value, parsed.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flag_for_a_type_the_Procfile_lacks_is_an_error_naming_the_types()
    {
        var plan = WatchPlan.Build(SettingsDocument.Empty, WatchFlag.Parse(["wbe=src"]).Value, ["web", "worker"], _dir.Path, null);
        Assert.False(plan.Ok);
        Assert.Equal("--watch: unknown process type 'wbe'; the Procfile defines: web, worker", plan.Errors[0].ToString());
    }

    [Fact]
    public void The_settings_key_and_the_flag_add_up_and_the_file_decides_ignore_and_dependents()
    {
        var settings = new SettingsDocument("drover.yaml", [
            new TypeSettings("web") { Watch = new WatchSpec(["app"], ["*.tmp"], RestartDependents: true) },
            new TypeSettings("worker") { DependsOn = [new Dependency("web", DependencyCondition.Started)] },
            new TypeSettings("mailer") { DependsOn = [new Dependency("worker", DependencyCondition.Started)] },
            new TypeSettings("clock"),
        ]);
        var plan = WatchPlan.Build(settings, WatchFlag.Parse(["web=lib", "clock=clock.rb"]).Value, ["web", "worker", "mailer", "clock"], _dir.Path, null);
        Assert.True(plan.Ok);
        var web = plan.Value.Targets.Single(t => t.Type == "web");
        Assert.Equal(["app", "lib"], web.Spec.Paths);
        Assert.Equal(["*.tmp"], web.Spec.Ignore);
        Assert.Equal(["worker", "mailer"], plan.Value.Followers["web"]);
        Assert.Empty(plan.Value.Followers["clock"]);
        Assert.Equal(["web", "clock"], plan.Value.Targets.Select(t => t.Type));
    }

    [Fact]
    public void Roots_leave_out_directories_inside_another_root()
    {
        _dir.CreateFolder("src/a");
        var plan = WatchPlan.Build(SettingsDocument.Empty, WatchFlag.Parse(["web=src", "worker=src/a/*.rb"]).Value, ["web", "worker"], _dir.Path, null);
        Assert.Equal([_dir.Combine("src")], plan.Value.Roots());
    }

    [Fact]
    public void No_flag_and_no_key_watch_nothing()
    {
        var plan = WatchPlan.Build(SettingsDocument.Empty, new Dictionary<string, WatchSpec>(), ["web"], _dir.Path, null);
        Assert.True(plan.Value.IsEmpty);
    }

}
