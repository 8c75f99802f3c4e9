using System.CommandLine;
using System.Text.Json;
using Drover.Core.Control.Wire;

namespace Drover.Cli.Commands;

/// <summary>ps, scale, restart, stop and reload: thin wrappers over the control API (docs/control-api.md).</summary>
internal static class ControlCommands
{
    public static Command Ps()
    {
        var connection = new ControlConnection();
        var json = new Option<bool>("--json") { Description = "print the JSON the control API returns" };
        var command = new Command("ps", "Show every process of the running formation: pid, state, uptime, restarts, port, last exit, CPU%, RSS.");
        connection.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse => connection.RunAsync(parse, HttpMethod.Get, "v1/ps", printJson: parse.GetValue(json)));
        return command;
    }

    public static Command Scale()
    {
        var connection = new ControlConnection();
        var counts = new Argument<string[]>("counts") { Description = "TYPE=N pairs, e.g. web=4 worker=0", Arity = ArgumentArity.OneOrMore };
        var command = new Command("scale", "Change how many processes of each type run, without restarting the others.");
        connection.AddTo(command);
        command.Arguments.Add(counts);
        command.SetAction(async parse =>
        {
            var request = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(counts)!)
            {
                string[] parts = pair.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], out int n) || n < 0)
                {
                    Console.Error.WriteLine($"drover: '{pair}' is not TYPE=COUNT with a count of 0 or more");
                    return ExitCodes.Usage;
                }
                request[parts[0]] = n;
            }
            string body = JsonSerializer.Serialize(new ScaleRequest(request), WireJson.Default.ScaleRequest);
            return await connection.RunAsync(parse, HttpMethod.Post, "v1/scale", body);
        });
        return command;
    }

    public static Command Restart() => Targeted("restart", "v1/restart",
        "Rolling restart: one instance at a time, the next only once the new one is up (accepting connections on its PORT if the old one did).");

    public static Command Stop() => Targeted("stop", "v1/stop",
        "Stop processes without restarting them; they stay stopped until `drover start TYPE` (or restart).");

    public static Command Reload()
    {
        var connection = new ControlConnection();
        var command = new Command("reload", "Re-read the Procfile and env files: changed types get a rolling restart, removed types stop, new types start. Also done by SIGUSR1.");
        connection.AddTo(command);
        command.SetAction(parse => connection.RunAsync(parse, HttpMethod.Post, "v1/reload"));
        return command;
    }

    private static Command Targeted(string name, string path, string description)
    {
        var connection = new ControlConnection();
        var target = new Argument<string?>("target") { Description = "a type (web), an instance (web.2), or nothing for all", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, description);
        connection.AddTo(command);
        command.Arguments.Add(target);
        command.SetAction(parse => connection.RunAsync(parse, HttpMethod.Post, path,
            JsonSerializer.Serialize(new TargetRequest(parse.GetValue(target)), WireJson.Default.TargetRequest)));
        return command;
    }
}
