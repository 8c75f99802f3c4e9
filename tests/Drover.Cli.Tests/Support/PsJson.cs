using System.Text.Json;

namespace Drover.Cli.Tests.Support;

/// <summary>The rows of <c>drover ps --json</c> for a running app, as the tests read them.</summary>
internal static class PsJson
{
    /// <summary>Every process row (the command must succeed).</summary>
    public static async Task<JsonElement[]> Rows(TempApp app)
    {
        var ps = await DroverProcess.RunAsync(app.Root, "ps", "--json");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        return [.. JsonDocument.Parse(ps.Stdout).RootElement.GetProperty("processes").EnumerateArray()];
    }

    /// <summary>The row of instance <paramref name="name"/>.</summary>
    public static JsonElement Row(JsonElement[] rows, string name) => rows.Single(r => r.GetProperty("name").GetString() == name);

    /// <summary>The row of instance <paramref name="name"/>, read now.</summary>
    public static async Task<JsonElement> Row(TempApp app, string name) => Row(await Rows(app), name);
}
