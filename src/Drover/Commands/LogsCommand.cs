using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Drover.Control;
using Drover.Core.App;
using Drover.Core.Control.Wire;
using Drover.Core.Logs;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover logs [-f] [-n N] [target]</c>: recent output of the running formation, then live with -f; with
/// --since, --until, --grep or --log-dir (or when no Drover runs), the log files instead (docs/logs.md);
/// --rotate rotates them now.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var connection = new ControlConnection(procfileShortAlias: false);
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new lines until Ctrl-C" };
        var lines = new Option<int>("--lines", "-n") { Description = "how many recent lines per process (from the files: the last N matching lines in all)", DefaultValueFactory = _ => 100 };
        lines.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--lines must be 0 or more");
            }
        });
        var since = new Option<string?>("--since") { Description = "from the log files: lines from this time on: 10m, 2h, 1d ago, 13:40 today, or 2026-12-03T13:40", HelpName = "time" };
        var until = new Option<string?>("--until") { Description = "from the log files: lines up to this time (same forms as --since)", HelpName = "time" };
        var grep = new Option<string?>("--grep") { Description = "from the log files: lines whose text matches this regular expression (.NET syntax)", HelpName = "regex" };
        var logDir = new Option<string?>("--log-dir") { Description = "read the log files in DIR (default: the running Drover's, else log_dir in .foreman)", HelpName = "dir" };
        var rotate = new Option<bool>("--rotate") { Description = "rotate the running Drover's log files now" };
        var target = new Argument<string?>("target") { Description = "a type (web) or an instance (web.2); default: everything", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logs", "Print recent output of the formation's processes (from the running Drover, or from its log files); -f follows.");
        // -f means --follow here, as in tail; the Procfile can still be given as --procfile.
        connection.AddTo(command);
        foreach (var option in new Option[] { follow, lines, since, until, grep, logDir, rotate })
        {
            command.Options.Add(option);
        }
        command.Arguments.Add(target);
        command.SetAction(async (parse, cancel) =>
        {
            string root = connection.AppRoot(parse);
            if (parse.GetValue(rotate))
            {
                return await RotateAsync(root);
            }
            bool fromFiles = parse.GetValue(since) is not null || parse.GetValue(until) is not null
                || parse.GetValue(grep) is not null || parse.GetValue(logDir) is not null;
            using var client = ControlConnection.TryConnect(root);
            if (!fromFiles && client is not null)
            {
                return await FromDroverAsync(client, parse, lines, follow, target, cancel);
            }
            var status = client is null ? null : await StatusOf(client);
            string? dir = parse.GetValue(logDir) ?? status?.LogDir ?? FromForemanFile();
            // The types' own files (log_location): the running Drover's, else those of the app's settings file.
            var typeFiles = status is not null ? status.TypeLogFiles ?? new Dictionary<string, string>() : connection.TypeLogFiles(parse);
            if (dir is null && typeFiles.Count == 0)
            {
                await Console.Error.WriteLineAsync(client is null
                    ? $"drover: no Drover is running for {root} and no log files are known: give --log-dir DIR (or set log_dir in .foreman, or a log_location in the settings file)"
                    : "drover: the running Drover writes no log files (start it with --log-dir, or give types a log_location); without --since, --until and --grep, `drover logs` shows its recent output");
                return ExitCodes.Usage;
            }
            var layout = new LogLayout(dir is null ? null : Path.GetFullPath(dir), typeFiles);
            var query = Query(parse, since, until, grep, target, parse.GetResult(lines) is { Implicit: false } ? parse.GetValue(lines) : null, out string? problem);
            if (query is null)
            {
                await Console.Error.WriteLineAsync($"drover: {problem}");
                return ExitCodes.Usage;
            }
            return await LogFileReading.PrintAsync(layout, query, parse.GetValue(follow), cancel);
        });
        return command;
    }

    private static LogQuery? Query(ParseResult parse, Option<string?> since, Option<string?> until, Option<string?> grep, Argument<string?> target, int? last, out string? problem)
    {
        problem = null;
        var now = DateTimeOffset.Now;
        DateTimeOffset? Time(Option<string?> option, ref string? problem)
        {
            if (parse.GetValue(option) is not string text)
            {
                return null;
            }
            var t = LogTime.Parse(text, now, TimeZoneInfo.Local, out string? error);
            problem ??= error is null ? null : $"{option.Name}: {error}";
            return t;
        }
        var from = Time(since, ref problem);
        var to = Time(until, ref problem);
        Regex? pattern = null;
        if (parse.GetValue(grep) is string g)
        {
            try
            {
                pattern = LogQuery.Pattern(g);
            }
            catch (ArgumentException e)
            {
                problem ??= $"--grep: '{g}' is not a regular expression: {e.Message}";
            }
        }
        return problem is null ? new LogQuery(parse.GetValue(target), from, to, pattern, last) : null;
    }

    private static async Task<int> FromDroverAsync(ControlClient client, ParseResult parse, Option<int> lines, Option<bool> follow, Argument<string?> target, CancellationToken cancel)
    {
        string query = $"v1/logs?lines={parse.GetValue(lines).ToString(CultureInfo.InvariantCulture)}&follow={(parse.GetValue(follow) ? "true" : "false")}";
        if (parse.GetValue(target) is string t)
        {
            query += "&target=" + Uri.EscapeDataString(t);
        }
        try
        {
            int status = await client.StreamAsync(query, StandardStreams.Output(), cancel);
            return status == 200 ? ExitCodes.Ok : status is 400 or 404 ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
    }

    private static async Task<int> RotateAsync(string root)
    {
        using var client = ControlConnection.TryConnect(root);
        if (client is null)
        {
            await Console.Error.WriteLineAsync($"drover: no Drover is running for {root}; --rotate asks the running one");
            return ExitCodes.Failure;
        }
        var (status, body) = await client.SendAsync(HttpMethod.Post, "v1/logs/rotate");
        if (status != 200)
        {
            await Console.Error.WriteLineAsync($"drover: {ControlConnection.ErrorMessage(body)}");
            return status == 409 ? ExitCodes.Usage : ExitCodes.Failure;
        }
        var answer = JsonSerializer.Deserialize(body, WireJson.Default.RotateResponse)!;
        Console.WriteLine(answer.Rotated.Count == 0
            ? $"nothing to rotate{(answer.LogDir.Length > 0 ? $" in {answer.LogDir}" : "")}"
            : $"rotated{(answer.LogDir.Length > 0 ? $" in {answer.LogDir}" : "")}: {string.Join(", ", answer.Rotated)}");
        return ExitCodes.Ok;
    }

    private static async Task<StatusResponse?> StatusOf(ControlClient client)
    {
        try
        {
            var (status, body) = await client.SendAsync(HttpMethod.Get, "v1/status");
            return status == 200 ? JsonSerializer.Deserialize(body, WireJson.Default.StatusResponse) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static string? FromForemanFile()
    {
        var defaults = ForemanDefaults.Load(Directory.GetCurrentDirectory());
        return defaults.Ok ? defaults.Value.LogDir : null;
    }
}
