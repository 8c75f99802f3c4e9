using Drover.Cli.Tests.Support;
using Drover.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Drover.Dashboard.Tests;

/// <summary>The page's search of the log files (issue #19): on the server, across rotations, matches highlighted.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardSearchTests
{
    [Fact]
    public async Task A_search_finds_lines_in_rotated_files_too_highlights_the_matches_and_honours_the_time_range()
    {
        using var app = TempApp.Create().WithProcfile(
            "web: echo 'alpha one'; echo 'beta two'; while [ ! -e go ]; do sleep 0.05; done; echo 'alpha three <b>x</b>'; exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app, "--log-dir", "logs");
        await dashboard.Drover.WaitForOutputAsync("web.1", "beta two");
        // The first lines go to a rotated file; the last to the new one.
        var rotate = await DroverProcess.RunAsync(app.Root, "logs", "--rotate");
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        File.WriteAllText(app.PathOf("go"), "");
        await dashboard.Drover.WaitForOutputAsync("web.1", "alpha three <b>x</b>");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());

        await page.Locator("#search-q").FillAsync("alp+ha");
        await page.Locator("#search-target").FillAsync("web");
        await page.Locator("#search-go").ClickAsync();

        var hits = page.Locator("#search-results .hit");
        await Expect(hits).ToHaveCountAsync(2);
        await Expect(hits.Nth(0)).ToContainTextAsync("alpha one");
        // Text, not markup: the child's <b> is shown as it was written.
        await Expect(hits.Nth(1)).ToContainTextAsync("alpha three <b>x</b>");
        await Expect(hits.Locator("mark")).ToHaveTextAsync(["alpha", "alpha"]);
        await Expect(page.Locator("#search-count")).ToHaveTextAsync("2 lines");
        await browser.ScreenshotAsync("search");

        await page.Locator("#search-until").FillAsync("2000-01-01");
        await page.Locator("#search-go").ClickAsync();
        await Expect(page.Locator("#search-count")).ToHaveTextAsync("0 lines");
        await Expect(hits).ToHaveCountAsync(0);

        await page.Locator("#search-until").FillAsync("");
        await page.Locator("#search-q").FillAsync("(");
        await page.Locator("#search-go").ClickAsync();
        await Expect(page.Locator("#search-results .error")).ToContainTextAsync("is not a regular expression");
    }
}
