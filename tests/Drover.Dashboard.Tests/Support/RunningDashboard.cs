using System.Text.Json;
using Drover.Cli.Tests.Support;

namespace Drover.Dashboard.Tests.Support;

/// <summary>
/// A real <c>drover start --dashboard</c> on a test app, with the URL it printed. Disposing it takes drover and
/// everything it started down.
/// </summary>
internal sealed class RunningDashboard : IDisposable
{
    private RunningDashboard(TempApp app, DroverProcess drover, Uri url)
    {
        App = app;
        Drover = drover;
        Url = url;
        Base = new Uri(url.GetLeftPart(UriPartial.Authority));
        Token = url.Query["?token=".Length..];
    }

    /// <summary>The app.</summary>
    public TempApp App { get; }

    /// <summary>The drover process.</summary>
    public DroverProcess Drover { get; }

    /// <summary>The URL drover printed, with the token.</summary>
    public Uri Url { get; }

    /// <summary>The dashboard's origin, without the token.</summary>
    public Uri Base { get; }

    /// <summary>The access token.</summary>
    public string Token { get; }

    /// <summary>Starts <c>drover start --dashboard -p RANDOM ARGS</c> in <paramref name="app"/> and waits for its URL.</summary>
    public static async Task<RunningDashboard> StartAsync(TempApp app, params string[] args)
    {
        var drover = DroverProcess.Start(app.Root, ["start", "--dashboard", "-p", $"{TestPorts.RandomBase()}", .. args]);
        try
        {
            var line = await drover.WaitForSystemPrefixAsync("dashboard: http");
            return new RunningDashboard(app, drover, new Uri(line.Text["dashboard: ".Length..]));
        }
        catch
        {
            drover.Dispose();
            throw;
        }
    }

    /// <summary>The rows of <c>drover ps --json</c>.</summary>
    public async Task<JsonElement[]> PsAsync()
    {
        var ps = await DroverProcess.RunAsync(App.Root, "ps", "--json");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        return [.. JsonDocument.Parse(ps.Stdout).RootElement.GetProperty("processes").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The row of <paramref name="name"/> in <c>drover ps --json</c>, or null.</summary>
    public async Task<JsonElement?> PsRowAsync(string name) =>
        (await PsAsync()).Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("name").GetString() == name);

    /// <inheritdoc />
    public void Dispose() => Drover.Dispose();
}
