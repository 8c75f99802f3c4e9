using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Probes;

/// <summary>A rolling restart waits for the type's readiness probe when it has one (not for the PORT).</summary>
public sealed class RollingRestartReadinessTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_rolling_restart_stops_the_next_instance_only_once_the_replacement_passed_its_readiness_probe()
    {
        var checks = new ScriptedChecks();
        checks.Answer("web.1", true);
        checks.Answer("web.2", true);
        var settings = new SettingsDocument(null, [new TypeSettings("web") { Readiness = ProbeSupervisionTests.Probe(failures: 1) }]);
        await using var h = new ControllerHarness("web: run web\n", "web=2", settings: settings,
            options: SupervisorOptions.Default with { ProbeChecks = checks.Create });
        await h.RunAndWaitForStarts(2);
        await Poll.Until(() => h.Supervisor.SnapshotAsync().Result.All(s => s.Ready), "both ready");
        checks.Answer("web.1", false);
        using var obey = h.ObeyStops();

        var restart = h.Controller.RestartAsync("web");
        await Poll.Until(() => h.Launcher.StartsOf("web.1").Count == 2, "web.1 replaced");
        for (int k = 0; k < 5; k++)
        {
            int before = checks.Checks("web.1");
            await Poll.Until(() =>
            {
                if (checks.Checks("web.1") > before)
                {
                    return true;
                }
                h.Time.Advance(Period);
                return false;
            }, "another check of web.1");
        }

        // The replacement of web.1 fails its probe: web.2 is left alone, the port probe never asked.
        Assert.False(h.Launcher.Latest("web.2").Received(Signals.Term));
        Assert.False(restart.IsCompleted);
        Assert.Empty(h.Probe.WaitedFor);
        checks.Answer("web.1", true);
        await Poll.Until(() =>
        {
            if (h.Launcher.Latest("web.2").Received(Signals.Term))
            {
                return true;
            }
            h.Time.Advance(TimeSpan.FromMilliseconds(100));
            return false;
        }, "web.2 stopped once web.1 is ready");
        await Poll.Until(() =>
        {
            if (restart.IsCompleted)
            {
                return true;
            }
            h.Time.Advance(TimeSpan.FromMilliseconds(100));
            return false;
        }, "the restart to finish");

        var after = await restart;
        Assert.All(after, s => Assert.True(s.Ready));
        Assert.Empty(h.Probe.WaitedFor);
    }
}
