using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Settings;

public sealed class SettingsChangesTests
{
    private static readonly TypeSettings Web = new("web")
    {
        Readiness = new ProbeSpec(new ProbeCheck.Http("http", "127.0.0.1", null, "/health", null)) { Source = new SettingsSource("drover.yaml", 4) },
        DependsOn = [new Dependency("db", DependencyCondition.Healthy, new SettingsSource("drover.yaml", 9))],
        Source = new SettingsSource("drover.yaml", 2),
    };

    [Fact]
    public void The_same_settings_read_again_elsewhere_in_the_file_are_no_change()
    {
        var moved = Web with
        {
            Readiness = Web.Readiness! with { Source = new SettingsSource("drover.yaml", 14) },
            DependsOn = [new Dependency("db", DependencyCondition.Healthy, new SettingsSource("drover.yaml", 19))],
            Source = new SettingsSource("drover.yaml", 12),
        };

        Assert.Equal(SettingsChange.None, SettingsChanges.Between(Web, moved));
    }

    [Fact]
    public void A_changed_probe_or_ready_log_line_recreates()
    {
        Assert.Equal(SettingsChange.Recreate, SettingsChanges.Between(Web, Web with { Readiness = Web.Readiness! with { Period = TimeSpan.FromSeconds(2) } }));
        Assert.Equal(SettingsChange.Recreate, SettingsChanges.Between(Web, Web with { Readiness = null }));
        Assert.Equal(SettingsChange.Recreate, SettingsChanges.Between(Web, Web with { Liveness = Web.Readiness }));
        Assert.Equal(SettingsChange.Recreate, SettingsChanges.Between(Web, Web with { ReadyLogLine = "listening" }));
    }

    [Fact]
    public void Changed_availability_shutdown_or_dependencies_apply_in_place()
    {
        Assert.Equal(SettingsChange.InPlace, SettingsChanges.Between(Web, Web with { Availability = new AvailabilitySpec(RestartPolicy.Always, false, null, null) }));
        Assert.Equal(SettingsChange.InPlace, SettingsChanges.Between(Web, Web with { Shutdown = new ShutdownSpec(2, null, null) }));
        Assert.Equal(SettingsChange.InPlace, SettingsChanges.Between(Web, Web with { DependsOn = [new Dependency("db", DependencyCondition.Started)] }));
        Assert.Equal(SettingsChange.InPlace, SettingsChanges.Between(Web, Web with { DependsOn = [] }));
    }
}
