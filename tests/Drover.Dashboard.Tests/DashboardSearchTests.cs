using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
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

    [Fact]
    public async Task The_search_reads_a_types_own_log_file_with_no_log_directory()
    {
        // web writes to its log_location only (no --log-dir); the search finds its lines there, and none of worker's.
        using var app = TempApp.Create()
            .WithProcfile("web: echo 'alpha one'; echo 'beta two'; exec sleep 1000", "worker: echo 'alpha worker'; exec sleep 1000")
            .WithFile("drover.yaml", "processes:", "  web:", "    log_location: logs/web.log");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForOutputAsync("web.1", "beta two");
        await dashboard.Drover.WaitForOutputAsync("worker.1", "alpha worker");
        using var http = Http.Client(dashboard.Base);
        JsonElement[] hits = [];
        async Task<JsonElement[]> SearchAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/logs/search?q=alpha");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dashboard.Token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("hits").EnumerateArray().Select(e => e.Clone())];
        }
        // The file writer puts a line on disk just after stdout gets it: wait for it.
        for (var until = DateTime.UtcNow + DroverProcess.Patience; hits.Length == 0 && DateTime.UtcNow < until; await Task.Delay(100))
        {
            hits = await SearchAsync();
        }
        var hit = Assert.Single(hits);
        Assert.Equal("web.1", hit.GetProperty("n").GetString());
        Assert.Equal("alpha one", hit.GetProperty("x").GetString());
    }
}
