using Drover.Cli.Tests.Support;
using Drover.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Drover.Dashboard.Tests;

/// <summary>States from the settings file on the page (issue 16's "everywhere it shows"): waiting, ready.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardProbeStateTests
{
    [Fact]
    public async Task A_waiting_instance_shows_what_it_waits_for_then_runs_once_its_dependency_is_ready()
    {
        // db prints its ready line only once the test has seen worker waiting on the page.
        using var app = TempApp.Create()
            .WithProcfile("db: while [ ! -e go ]; do sleep 0.1; done; echo 'db is ready'; exec sleep 1000", "worker: exec sleep 1000")
            .WithFile("drover.yaml", "processes:", "  db:", "    ready_log_line: 'is ready$'",
                "  worker:", "    depends_on:", "      db: {condition: process_log_ready}");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForStartAsync("db.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(dashboard.Url.ToString());

        var worker = page.Locator("tr[data-instance=\"worker.1\"] td[data-field=\"state\"]");
        var db = page.Locator("tr[data-instance=\"db.1\"] td[data-field=\"state\"]");
        await Expect(worker).ToHaveTextAsync("waiting (db)");
        await Expect(db).ToHaveTextAsync("running (unready)");
        File.WriteAllText(app.PathOf("go"), "");
        await dashboard.Drover.WaitForStartAsync("worker.1");
        await Expect(db).ToHaveTextAsync("running (ready)");
        await Expect(worker).ToHaveTextAsync("running");
        await browser.ScreenshotAsync("waiting-then-ready");
    }
}
