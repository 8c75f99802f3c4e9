using System.Text.Json;
using Drover.Cli.Tests.Support;
using Drover.Control;
using Drover.Core.Control;

namespace Drover.Cli.Tests;

/// <summary>
/// GET /v1/events, the control API's stream of the formation (what `drover tui` lives on): a frame at once, a frame
/// after each change (not only on the sampling timer), and the end of the stream when the formation ends.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EventsStreamTests
{
    private static uint Uid => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);

    // A framework-dependent build has drover.dll next to the binary: then the loaded assemblies show in /proc/PID/maps.
    private static bool IsJitBuild => File.Exists(Path.Combine(Path.GetDirectoryName(DroverBinary.Path)!, "drover.dll"));

    [Fact]
    public async Task The_stream_sends_the_formation_then_a_frame_per_change_and_ends_with_the_formation()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000", "worker: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("worker.1");
        string socket = ControlAddress.SocketPath(app.Root, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), Uid);
        using var client = ControlClient.Connect(socket, Uid)!;
        // An hour between samples: every frame after the first is sent because something changed.
        var (status, body, error) = await client.OpenAsync("v1/events?interval=3600", CancellationToken.None);
        Assert.True(body is not null, $"{status}: {error}");
        using var reader = new StreamReader(body!);
        using var timeout = new CancellationTokenSource(DroverProcess.Patience);

        using (var first = JsonDocument.Parse((await reader.ReadLineAsync(timeout.Token))!))
        {
            Assert.True(first.RootElement.GetProperty("sample").GetBoolean());
            Assert.Equal("running", first.RootElement.GetProperty("phase").GetString());
            Assert.Equal(["web", "worker"], first.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(["web.1", "worker.1"], Names(first.RootElement));
        }

        Assert.Equal(0, (await DroverProcess.RunAsync(app.Root, "scale", "web=2")).ExitCode);
        while (true)
        {
            using var frame = JsonDocument.Parse((await reader.ReadLineAsync(timeout.Token))!);
            Assert.False(frame.RootElement.GetProperty("sample").GetBoolean());
            if (Names(frame.RootElement).Contains("web.2"))
            {
                break;
            }
        }
        if (IsJitBuild)
        {
            // Serving the stream is the control API's work: a plain `drover start` never loads the UI's code.
            Assert.False(File.ReadAllText($"/proc/{drover.Pid}/maps").Contains("Drover.Tui.dll", StringComparison.Ordinal), "drover start loaded Drover.Tui.dll");
        }

        drover.Signal(UnixSignal.Terminate);
        while (await reader.ReadLineAsync(timeout.Token) is not null)
        {
            // Frames of the shutdown, until the stream ends.
        }
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    [Fact]
    public async Task A_bad_interval_is_refused()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{TestPorts.RandomBase()}");
        await drover.WaitForStartAsync("web.1");
        string socket = ControlAddress.SocketPath(app.Root, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), Uid);
        using var client = ControlClient.Connect(socket, Uid)!;

        var (status, body, error) = await client.OpenAsync("v1/events?interval=0", CancellationToken.None);

        Assert.Null(body);
        Assert.Equal(400, status);
        Assert.Contains("interval must be", error, StringComparison.Ordinal);
    }

    private static List<string?> Names(JsonElement frame) => [.. frame.GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("name").GetString())];
}
