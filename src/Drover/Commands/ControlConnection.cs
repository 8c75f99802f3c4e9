using System.CommandLine;
using System.Text.Json;
using Drover.Control;
using Drover.Core.App;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary>
/// Finds the Drover running the app in this directory (or -d / -f) through its control socket and runs one
/// request; shared by ps, scale, restart, stop, logs and reload.
/// </summary>
internal sealed class ControlConnection
{
    /// <summary>Options to locate the app; <paramref name="procfileShortAlias"/> false leaves -f free (logs uses it for --follow).</summary>
    public ControlConnection(bool procfileShortAlias = true)
    {
        Procfile = procfileShortAlias ? new("--procfile", "-f") : new("--procfile");
        Procfile.Description = "the app's Procfile (its folder is the app root)";
        Procfile.HelpName = "file";
    }

    public Option<string?> Procfile { get; }

    public Option<string?> Root { get; } = new("--root", "-d") { Description = "the app root (default: the Procfile's folder)", HelpName = "dir" };

    public void AddTo(Command command)
    {
        command.Options.Add(Procfile);
        command.Options.Add(Root);
    }

    /// <summary>The control socket path for the app these options name.</summary>
    public static string SocketPathFor(string root) =>
        ControlAddress.SocketPath(root, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), UserIdentity.Uid());

    /// <summary>
    /// The app root as `drover start` in this directory computes it, <c>.foreman</c>'s procfile and root included
    /// (an invalid <c>.foreman</c> is reported by start; here it only means no defaults).
    /// </summary>
    public string AppRoot(ParseResult parse)
    {
        string cwd = Directory.GetCurrentDirectory();
        var loaded = ForemanDefaults.Load(cwd);
        var defaults = loaded.Ok ? loaded.Value : ForemanDefaults.None;
        return AppLocator.Root(
            new AppSettings(parse.GetValue(Procfile) ?? defaults.Procfile, [], parse.GetValue(Root) ?? defaults.Root), cwd);
    }

    /// <summary>The types' own log files (<c>log_location</c>) of the settings file `drover start` here would read.</summary>
    public IReadOnlyDictionary<string, string> TypeLogFiles(ParseResult parse)
    {
        string cwd = Directory.GetCurrentDirectory();
        var loaded = ForemanDefaults.Load(cwd);
        var defaults = loaded.Ok ? loaded.Value : ForemanDefaults.None;
        return Core.App.TypeLogFiles.Find(
            new AppSettings(parse.GetValue(Procfile) ?? defaults.Procfile, [], parse.GetValue(Root) ?? defaults.Root) { SettingsFile = defaults.Settings }, cwd);
    }

    /// <summary>Connects, or prints why not and returns null.</summary>
    public ControlClient? Connect(ParseResult parse) => Connect(AppRoot(parse));

    /// <summary>Connects to the Drover running the app at <paramref name="root"/>; null, saying nothing, when none answers.</summary>
    public static ControlClient? TryConnect(string root)
    {
        try
        {
            return ControlClient.Connect(SocketPathFor(root), UserIdentity.Uid());
        }
        catch (UntrustedSocketException)
        {
            return null;
        }
    }

    private static ControlClient? Connect(string root)
    {
        string socket = SocketPathFor(root);
        ControlClient? client;
        try
        {
            client = ControlClient.Connect(socket, UserIdentity.Uid());
        }
        catch (UntrustedSocketException e)
        {
            Console.Error.WriteLine($"drover: {e.Message}");
            return null;
        }
        if (client is null)
        {
            Console.Error.WriteLine($"drover: no Drover is running for {root} (no control socket answers at {socket})");
        }
        return client;
    }

    /// <summary>Runs a request that answers with the formation; prints it as a table (or JSON).</summary>
    public Task<int> RunAsync(ParseResult parse, HttpMethod method, string path, string? json = null, bool printJson = false) =>
        RunAsync(AppRoot(parse), method, path, json, printJson);

    /// <summary>The same, for the app at <paramref name="root"/>.</summary>
    public static async Task<int> RunAsync(string root, HttpMethod method, string path, string? json = null, bool printJson = false)
    {
        using var client = Connect(root);
        if (client is null)
        {
            return ExitCodes.Failure;
        }
        int status;
        string body;
        try
        {
            (status, body) = await client.SendAsync(method, path, json);
        }
        catch (HttpRequestException e)
        {
            // The Drover went away mid-request (or never answered): a message, not a stack trace.
            Console.Error.WriteLine($"drover: the Drover running {root} did not answer: {e.Message}");
            return ExitCodes.Failure;
        }
        if (status is < 200 or > 299)
        {
            Console.Error.WriteLine($"drover: {ErrorMessage(body)}");
            return status is 400 or 404 ? ExitCodes.Usage : ExitCodes.Failure;
        }
        if (printJson)
        {
            Console.WriteLine(body);
            return ExitCodes.Ok;
        }
        var formation = JsonSerializer.Deserialize(body, WireJson.Default.FormationResponse)!;
        Console.Write(PsTable.Render(formation.Processes));
        return ExitCodes.Ok;
    }

    /// <summary>The message of an error answer: its JSON "error", or the body as it is when it is not our JSON.</summary>
    public static string ErrorMessage(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, WireJson.Default.ErrorResponse)?.Error ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
