using System.CommandLine;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary><c>drover check</c>: validate the Procfile and env files and show what start would run.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var app = new AppOptions();
        var formation = new FormationOptions();
        var command = new Command("check", "Validate the Procfile and env files; print the formation with each instance's port.");
        app.AddTo(command);
        formation.AddTo(command);
        command.SetAction(parse =>
        {
            var planned = app.LoadDefaults() ? app.Plan(formation.Request(parse, app)) : null;
            if (planned is null || !AppOptions.Report(planned))
            {
                return ExitCodes.Usage;
            }
            var (loaded, f, ports) = (planned.Value.App, planned.Value.Formation, planned.Value.Ports);
            Console.WriteLine($"Procfile  {loaded.Procfile.File} ({f.Entries.Count} types)");
            foreach (string envFile in loaded.EnvFiles)
            {
                Console.WriteLine($"env       {envFile}");
            }
            if (loaded.FileEnvironment.Count > 0)
            {
                // Names only: values may be secrets.
                Console.WriteLine($"variables {string.Join(", ", loaded.FileEnvironment.Keys.Order(StringComparer.Ordinal))}");
            }
            Console.WriteLine($"root      {loaded.Root}");
            Console.WriteLine();
            int width = f.Entries.Max(e => e.Type.Name.Length);
            foreach (var entry in f.Entries)
            {
                var instances = Enumerable.Range(1, entry.Count)
                    .Select(k => $"{new InstanceName(entry.Type.Name, k)}:{ports.PortFor(entry.TypeIndex, k)}");
                string list = entry.Count == 0 ? "(not started)" : string.Join(" ", instances);
                Console.WriteLine($"{entry.Type.Name.PadRight(width)}  x{entry.Count}  {list}  $ {entry.Type.Command}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
