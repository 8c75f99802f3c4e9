using System.Text.RegularExpressions;
using Drover.Cli.Tests.Support;
using Drover.Dashboard.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drover.Dashboard.Tests;

/// <summary>The dashboard page in a real Chromium against a real `drover start --dashboard` with real processes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class DashboardPageTests
{
    private static ILocator Row(IPage page, string instance) => page.Locator($"tr[data-instance=\"{instance}\"]");

    private static ILocator Cell(IPage page, string instance, string field) => Row(page, instance).Locator($"td[data-field=\"{field}\"]");

    [Fact]
    public async Task The_table_shows_a_row_per_instance_with_its_state_pid_and_port()
    {
        using var app = TempApp.Create().WithProcfile("web: echo up; exec sleep 1000", "worker: echo up; exec sleep 1000", "idle: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app, "-m", "web=2,worker=1");
        int web1 = await dashboard.Drover.WaitForStartAsync("web.1");
        int web2 = await dashboard.Drover.WaitForStartAsync("web.2");
        int worker1 = await dashboard.Drover.WaitForStartAsync("worker.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(dashboard.Url.ToString());

        await Expect(page.Locator("tr[data-instance]")).ToHaveCountAsync(3);
        Assert.Equal(["web.1", "web.2", "worker.1"], await page.Locator("tr[data-instance]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.instance)"));
        foreach (var (name, pid) in new[] { ("web.1", web1), ("web.2", web2), ("worker.1", worker1) })
        {
            await Expect(Cell(page, name, "pid")).ToHaveTextAsync($"{pid}");
            await Expect(Cell(page, name, "state")).ToHaveTextAsync("running");
        }
        var ps = await dashboard.PsAsync();
        foreach (var row in ps)
        {
            await Expect(Cell(page, row.GetProperty("name").GetString()!, "port")).ToHaveTextAsync($"{row.GetProperty("port").GetInt32()}");
        }
        // A type with no instance still has its row, so it can be scaled up.
        await Expect(page.Locator("tbody[data-type=\"idle\"] input[data-scale=\"idle\"]")).ToHaveValueAsync("0");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        await browser.ScreenshotAsync("table");
    }

    [Fact]
    public async Task Scaling_up_from_the_page_starts_real_processes()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForStartAsync("web.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());
        await Expect(Row(page, "web.1")).ToBeVisibleAsync();

        await page.Locator("input[data-scale=\"web\"]").FillAsync("3");
        await page.Locator("button[data-action=\"scale\"][data-type=\"web\"]").ClickAsync();

        await Expect(page.Locator("#results li").First).ToHaveAttributeAsync("data-ok", "true");
        await Expect(page.Locator("#results li").First).ToContainTextAsync("scaled web to 3");
        int web3 = await dashboard.Drover.WaitForStartAsync("web.3");
        var row = await dashboard.PsRowAsync("web.3");
        Assert.NotNull(row);
        Assert.Equal("running", row.Value.GetProperty("state").GetString());
        Assert.Equal(web3, row.Value.GetProperty("pid").GetInt32());
        Assert.True(ProcessTable.IsRunning(web3), $"web.3 (pid {web3}) is not running");
        Assert.Equal(3, (await dashboard.PsAsync()).Length);
        await Expect(Cell(page, "web.3", "pid")).ToHaveTextAsync($"{web3}");
    }

    [Fact]
    public async Task Restarting_an_instance_from_the_page_gives_it_a_new_pid()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app, "-m", "web=2");
        int before = await dashboard.Drover.WaitForStartAsync("web.2");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());
        await Expect(Cell(page, "web.2", "pid")).ToHaveTextAsync($"{before}");

        await Row(page, "web.2").Locator("button[data-action=\"restart\"]").ClickAsync();

        int after = await dashboard.Drover.WaitForStartAsync("web.2", occurrence: 2);
        Assert.NotEqual(before, after);
        await Expect(Cell(page, "web.2", "pid")).ToHaveTextAsync($"{after}");
        await Expect(page.Locator("#results li").First).ToContainTextAsync("restarted web.2");
        Assert.Equal(after, (await dashboard.PsRowAsync("web.2"))!.Value.GetProperty("pid").GetInt32());
        await Eventually.HoldsAsync(() => !ProcessTable.IsRunning(before), TimeSpan.FromSeconds(30), () => $"the old web.2 (pid {before}) still runs");
    }

    [Fact]
    public async Task Stopping_and_starting_an_instance_from_the_page()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000", "worker: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app);
        int worker = await dashboard.Drover.WaitForStartAsync("worker.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());
        var button = Row(page, "worker.1").Locator("button[data-action=\"stop\"]");

        await button.ClickAsync();

        await Expect(Cell(page, "worker.1", "state")).ToHaveTextAsync("stopped");
        Assert.Equal("stopped", (await dashboard.PsRowAsync("worker.1"))!.Value.GetProperty("state").GetString());
        await Eventually.HoldsAsync(() => !ProcessTable.IsRunning(worker), TimeSpan.FromSeconds(30), () => $"worker.1 (pid {worker}) still runs");

        await Row(page, "worker.1").Locator("button[data-action=\"start\"]").ClickAsync();

        int again = await dashboard.Drover.WaitForStartAsync("worker.1", occurrence: 2);
        await Expect(Cell(page, "worker.1", "state")).ToHaveTextAsync("running");
        await Expect(Cell(page, "worker.1", "pid")).ToHaveTextAsync($"{again}");
        Assert.Equal("running", (await dashboard.PsRowAsync("worker.1"))!.Value.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_log_shows_a_line_a_process_just_printed_and_filters_by_type_instance_and_text()
    {
        // `talker` prints whatever the test puts in its `say` file, once.
        using var app = TempApp.Create().WithProcfile(
            "talker: while true; do if [ -f say ]; then cat say; rm -f say; fi; sleep 0.1; done",
            "other: echo other is here; exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForOutputAsync("other.1", "other is here");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());
        await Expect(page.Locator("#log .line[data-name=\"other.1\"]")).ToContainTextAsync("other is here");
        string words = $"hello from the test {Guid.NewGuid():N}";

        await File.WriteAllTextAsync(app.PathOf("say.tmp"), words + "\n");
        File.Move(app.PathOf("say.tmp"), app.PathOf("say"));

        await dashboard.Drover.WaitForOutputAsync("talker.1", words);
        var line = page.Locator("#log .line[data-name=\"talker.1\"]", new() { HasText = words });
        await Expect(line).ToHaveCountAsync(1);
        // The prefix is the server's, by the rule of stdout and `drover logs`: padded to talker.1, the widest name.
        await Expect(line).ToHaveTextAsync(new Regex($@"^\d\d:\d\d:\d\d talker\.1 \| {words}$"));
        await Expect(page.Locator("#log .line[data-name=\"other.1\"]")).ToHaveTextAsync(new Regex(@"^\d\d:\d\d:\d\d other\.1\s+\| other is here$"));

        await page.Locator("#filter-type").SelectOptionAsync("other");
        await Expect(line).ToHaveCountAsync(0);
        await Expect(page.Locator("#log .line[data-name=\"other.1\"]")).ToHaveCountAsync(1);

        await page.Locator("#filter-type").SelectOptionAsync("");
        await page.Locator("#filter-instance").SelectOptionAsync("talker.1");
        await Expect(line).ToHaveCountAsync(1);
        await Expect(page.Locator("#log .line[data-name=\"other.1\"]")).ToHaveCountAsync(0);

        await page.Locator("#filter-instance").SelectOptionAsync("");
        await page.Locator("#filter-text").FillAsync("OTHER IS");
        await Expect(line).ToHaveCountAsync(0);
        await Expect(page.Locator("#log .line")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_flooding_process_leaves_a_bounded_log_with_a_marker_and_its_last_line()
    {
        using var app = TempApp.Create().WithProcfile(
            "flood: while [ ! -f go ]; do sleep 0.1; done; seq 1 200000 | sed 's/^/flood line /'; echo flood done; exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForStartAsync("flood.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live");

        await File.WriteAllTextAsync(app.PathOf("go"), "");

        await dashboard.Drover.WaitForOutputAsync("flood.1", "flood done");
        await Expect(page.Locator("#log .line", new() { HasText = "flood done" })).ToHaveCountAsync(1);
        int shown = await page.Locator("#log .line").CountAsync();
        Assert.InRange(shown, 1, 1000);
        await Expect(page.Locator("#log .marker").First).ToBeVisibleAsync();
        await Expect(page.Locator("#log .marker").First).ToContainTextAsync(LineCount());
        // The page still answers.
        Assert.Equal(2, await page.EvaluateAsync<int>("1 + 1"));
    }

    [Fact]
    public async Task The_page_shows_environment_names_never_values()
    {
        using var app = TempApp.Create()
            .WithEnv("SECRET_VALUE=do-not-show-4242")
            .WithProcfile("web: exec sleep 1000");
        using var dashboard = await RunningDashboard.StartAsync(app);
        await dashboard.Drover.WaitForStartAsync("web.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(dashboard.Url.ToString());
        await Expect(Cell(page, "web.1", "state")).ToHaveTextAsync("running");

        Assert.DoesNotContain("do-not-show-4242", await page.ContentAsync());
        // Everything the page can fetch: the page, its script, the session, the metrics, and the event stream up to its log lines.
        string served = await page.EvaluateAsync<string>("""
            async () => {
              const texts = [];
              for (const u of ["/", "/dashboard.js", "/api/session", "/metrics"]) texts.push(await (await fetch(u)).text());
              const abort = new AbortController();
              const reader = (await fetch("/api/events", { signal: abort.signal })).body.getReader();
              const decoder = new TextDecoder();
              let stream = "";
              while (!(stream.includes("event: ps") && stream.includes("event: log"))) {
                const { value, done } = await reader.read();
                if (done) break;
                stream += decoder.decode(value);
              }
              abort.abort();
              return texts.join("\n") + stream;
            }
            """);
        Assert.Contains("event: ps", served);
        Assert.Contains("\"web.1\"", served);
        Assert.DoesNotContain("do-not-show-4242", served);
    }

    [Fact]
    public async Task Sparklines_draw_cpu_memory_and_restarts_from_the_samples()
    {
        using var app = TempApp.Create().WithProcfile(
            "web: i=$$; while true; do i=$(( (i * 7 + 3) % 41 )); echo \"GET /orders 200 ${i}ms\"; sleep 0.5; done",
            "worker: i=0; while true; do i=$((i+1)); echo \"job $i done\"; j=0; while [ $j -lt 20000 ]; do j=$((j+1)); done; sleep 1; done",
            "flaky: sleep 2; echo lost connection to the queue; exit 1");
        using var dashboard = await RunningDashboard.StartAsync(app, "-m", "web=2,worker=1,flaky=1", "--max-restart-delay", "1");
        await dashboard.Drover.WaitForStartAsync("worker.1");
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(dashboard.Url.ToString());

        // A sample every 2 s: once a few are in, each running row has a line in each sparkline.
        await dashboard.Drover.WaitForSystemAsync("flaky.1 exited with code 1", occurrence: 4);
        foreach (string kind in new[] { "cpu", "rss", "restarts" })
        {
            var spark = Row(page, "worker.1").Locator($"svg.spark.{kind} polyline");
            await Expect(spark).ToHaveAttributeAsync("points", new Regex(@"^\S+,\S+ \S+,\S+ \S+,\S+"));
        }
        await Expect(Row(page, "flaky.1").Locator("td[data-field=\"lastExit\"]")).ToHaveTextAsync("code 1");
        await Expect(Row(page, "web.1").Locator("td[data-field=\"restarts\"]")).ToHaveTextAsync("0");
        int restarts = int.Parse(await Row(page, "flaky.1").Locator("td[data-field=\"restarts\"]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(restarts >= 1, $"flaky.1 shows {restarts} restarts");
        await browser.ScreenshotAsync("overview");
    }

    [GeneratedRegex(@"\d+ (older )?line\(s\)")]
    private static partial Regex LineCount();
}
