using System.CommandLine;
using System.Globalization;

namespace Drover.Cli.Commands;

/// <summary><c>drover logs [-f] [-n N] [target]</c>: recent output of the running formation, then live with -f.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var connection = new ControlConnection(procfileShortAlias: false);
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new lines until Ctrl-C" };
        var lines = new Option<int>("--lines", "-n") { Description = "how many recent lines per process", DefaultValueFactory = _ => 100 };
        lines.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--lines must be 0 or more");
            }
        });
        var target = new Argument<string?>("target") { Description = "a type (web) or an instance (web.2); default: everything", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logs", "Print recent output of the running formation's processes; -f follows live output.");
        // -f means --follow here, as in tail; the Procfile can still be given as --procfile.
        connection.AddTo(command);
        command.Options.Add(follow);
        command.Options.Add(lines);
        command.Arguments.Add(target);
        command.SetAction(async (parse, cancel) =>
        {
            using var client = connection.Connect(parse);
            if (client is null)
            {
                return ExitCodes.Failure;
            }
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
        });
        return command;
    }
}
