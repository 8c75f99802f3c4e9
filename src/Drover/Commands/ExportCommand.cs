using System.CommandLine;
using Drover.Core.Diagnostics;
using Drover.Export;
using Drover.Export.Writing;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover export FORMAT OUTDIR</c>: write the formation as configuration for another process manager.
/// Prints the files written, never their contents (they hold the env files' values).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var app = new AppOptions();
        var formation = new FormationOptions();
        var format = new Argument<string>("format")
        {
            Description = "one of: " + string.Join(", ", Exporters.All.Select(e => e.Format)),
        };
        var outDir = new Argument<string>("outdir")
        {
            Description = "directory to write into (created if missing); files drover did not write there are never touched",
        };
        var appName = new Option<string?>("--app", "-a")
        {
            Description = "app name used in unit, program and object names (default: the app root's folder name)",
            HelpName = "name",
        };
        var user = new Option<string?>("--user", "-u")
        {
            Description = "user to run as (default: the app name; kubernetes: a numeric uid, compose: only when given)",
            HelpName = "user",
        };
        var timeout = new Option<int>("--timeout", "-t")
        {
            Description = "seconds between SIGTERM and SIGKILL when stopping",
            DefaultValueFactory = _ => 5,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--timeout must be 0 or more seconds");
            }
        });
        var image = new Option<string?>("--image")
        {
            Description = "container image (kubernetes, compose)",
            HelpName = "image",
        };
        var listen = new Option<string[]>("--listen")
        {
            Description = "process types that listen on PORT and get a Service / exposed port (default: web); repeat or separate with commas",
            HelpName = "types",
        };

        var formats = string.Join("\n", Exporters.All.Select(e => $"  {e.Format,-12} {e.Description}"));
        var command = new Command("export",
            "Write the formation as configuration for systemd, supervisord, runit, launchd, Kubernetes or Compose.\n" + formats);
        command.Arguments.Add(format);
        command.Arguments.Add(outDir);
        app.AddTo(command);
        command.Options.Add(formation.Formation);
        command.Options.Add(formation.Port);
        command.Options.Add(appName);
        command.Options.Add(user);
        command.Options.Add(timeout);
        command.Options.Add(image);
        command.Options.Add(listen);

        command.SetAction(parse =>
        {
            string formatName = parse.GetValue(format)!;
            if (Exporters.Find(formatName) is null)
            {
                // Before loading anything: a typo in the format is the likeliest mistake.
                Console.Error.WriteLine($"drover: {Exporters.UnknownFormat(formatName)}");
                return ExitCodes.Usage;
            }
            var planned = app.LoadDefaults() ? app.Plan(formation.Request(parse, app)) : null;
            if (planned is null || !AppOptions.Report(planned))
            {
                return ExitCodes.Usage;
            }
            var plan = planned.Value;
            var loaded = plan.App;

            string? givenName = parse.GetValue(appName);
            string name = givenName ?? Path.GetFileName(loaded.Root.TrimEnd('/'));
            var listenTypes = parse.GetValue(listen) is { Length: > 0 } l
                ? l.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                : null;
            var request = new ExportRequest(
                name,
                parse.GetValue(user),
                plan.Formation,
                plan.Ports,
                // Only the env files' variables: the exporting machine's own environment does not belong to the app.
                loaded.FileEnvironment
                    .Where(e => e.Key is not ("PORT" or "PS" or "DYNO"))
                    .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                loaded.Root,
                parse.GetValue(app.Root) is not null,
                parse.GetValue(timeout),
                parse.GetValue(image),
                listenTypes)
            {
                Settings = plan.Settings,
                TypeEnvironments = loaded.TypeEnvironments,
            };

            var files = Exporters.Export(formatName, request);
            if (!files.Ok)
            {
                if (givenName is null && ExportValidation.AppName(name) is not null)
                {
                    Console.Error.WriteLine("drover: the app name comes from the app root's folder name; give one with -a");
                }
                return Report(files);
            }
            try
            {
                var written = ExportWriter.Write(parse.GetValue(outDir)!, name, formatName, files.Value);
                if (!written.Ok)
                {
                    Console.Error.WriteLine("drover: nothing was written:");
                    return Report(written);
                }
                Print(formatName, name, written.Value);
                foreach (string warning in Drover.Export.Settings.SettingsCarriage.Warnings(formatName, request))
                {
                    Console.Error.WriteLine($"drover: {warning}");
                }
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"drover: export failed, the output directory is unchanged: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static int Report<T>(Result<T> result)
    {
        AppOptions.Report(result);
        return ExitCodes.Usage;
    }

    private static void Print(string format, string app, ExportReport report)
    {
        Console.WriteLine($"exported {app} for {format} into {report.Directory}:");
        foreach (string path in report.Written)
        {
            Console.WriteLine($"  wrote   {path}");
        }
        foreach (string path in report.Removed)
        {
            Console.WriteLine($"  removed {path}");
        }
    }
}
