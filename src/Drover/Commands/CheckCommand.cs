using System.CommandLine;
using Drover.Core.Formation;
using Drover.Core.Settings;

namespace Drover.Cli.Commands;

/// <summary><c>drover check</c>: validate the Procfile and env files and show what start would run.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var app = new AppOptions();
        var formation = new FormationOptions();
        var command = new Command("check", "Validate the Procfile, settings file and env files; print the formation with each instance's port, each type's settings and the start order.");
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
            var settings = planned.Value.Settings;
            Console.WriteLine($"Procfile  {loaded.Procfile.File} ({f.Entries.Count} types)");
            if (settings.Path is string settingsPath && settingsPath != loaded.Procfile.File)
            {
                Console.WriteLine($"settings  {settingsPath}");
            }
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
                if (settings.Path is not null)
                {
                    foreach (string line in SettingsDescription.Lines(settings.For(entry.Type.Name)))
                    {
                        Console.WriteLine($"{"".PadRight(width)}      {line}");
                    }
                }
            }
            if (settings.Path is not null)
            {
                var levels = DependencyGraph.Levels(settings, [.. f.Entries.Select(e => e.Type.Name)]);
                Console.WriteLine();
                Console.WriteLine($"start order  {SettingsDescription.Order(levels)}  (shutdown: the reverse)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
