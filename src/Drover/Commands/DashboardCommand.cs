using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Drover.Core.Control.Wire;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover dashboard</c>: asks the running Drover for its web dashboard (starting it on loopback if it is not
/// running yet) and prints the URL; <c>--open</c> also hands it to the desktop's browser.
/// </summary>
internal static class DashboardCommand
{
    public static Command Create()
    {
        var connection = new ControlConnection();
        var open = new Option<bool>("--open") { Description = "open the URL in a browser (xdg-open)" };
        var command = new Command("dashboard", "Print the URL (with its access token) of the running formation's web dashboard, starting it on 127.0.0.1 if needed.");
        connection.AddTo(command);
        command.Options.Add(open);
        command.SetAction(async parse =>
        {
            using var client = connection.Connect(parse);
            if (client is null)
            {
                return ExitCodes.Failure;
            }
            var (status, body) = await client.SendAsync(HttpMethod.Post, "v1/dashboard");
            if (status is < 200 or > 299)
            {
                Console.Error.WriteLine($"drover: {ControlConnection.ErrorMessage(body)}");
                return ExitCodes.Failure;
            }
            string url = JsonSerializer.Deserialize(body, WireJson.Default.DashboardResponse)!.Url;
            Console.WriteLine(url);
            return parse.GetValue(open) ? Open(url) : ExitCodes.Ok;
        });
        return command;
    }

    private static int Open(string url)
    {
        try
        {
            using var browser = Process.Start(new ProcessStartInfo("xdg-open", [url]) { UseShellExecute = false });
            return ExitCodes.Ok;
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"drover: cannot open a browser (xdg-open: {e.Message}); open the URL above");
            return ExitCodes.Failure;
        }
    }
}
