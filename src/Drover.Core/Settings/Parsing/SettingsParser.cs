using Drover.Core.Diagnostics;
using Drover.Core.Procfile;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Drover.Core.Settings.Parsing;

/// <summary>
/// Reads a settings file (docs/settings.md): process-compose's <c>processes:</c> with the keys Drover supports,
/// each turned into a <see cref="TypeSettings"/>. Every problem is reported at once with file, line and key; a
/// key of process-compose's schema that Drover lacks is named as unsupported, never ignored.
/// </summary>
public static class SettingsParser
{
    /// <summary>Reads and parses the settings file at <paramref name="path"/>.</summary>
    public static Result<SettingsDocument> Load(string path)
    {
        var text = ProcfileParser.ReadText(path, "settings file");
        return text.Ok ? Parse(text.Value, path) : Result<SettingsDocument>.Failure(text.Errors);
    }

    /// <summary>Parses the text of a settings file.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="file">The name diagnostics use (and the document's path).</param>
    public static Result<SettingsDocument> Parse(string text, string file)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return Result<SettingsDocument>.Failure(new Diagnostic(file, (int)e.Start.Line, (int)e.Start.Column,
                $"not valid YAML: {e.Message}"));
        }
        if (yaml.Documents.Count == 0 || YamlReader.IsNull(yaml.Documents[0].RootNode))
        {
            return Result<SettingsDocument>.Success(new SettingsDocument(file, []));
        }
        if (yaml.Documents.Count > 1)
        {
            var second = yaml.Documents[1].RootNode;
            return Result<SettingsDocument>.Failure(new Diagnostic(file, (int)second.Start.Line, 0,
                "a settings file holds one YAML document; found a second after '---'"));
        }

        var reader = new YamlReader(file);
        var types = new List<TypeSettings>();
        IReadOnlyList<KeyValuePair<string, string>> environment = [];
        bool sawProcesses = false;
        foreach (var (key, keyNode, value) in reader.Entries(yaml.Documents[0].RootNode, "settings file", SettingsKeys.Top))
        {
            switch (key)
            {
                case "processes":
                    sawProcesses = true;
                    foreach (var (name, nameNode, body) in reader.NamedEntries(value, "processes"))
                    {
                        if (!ProcfileParser.IsValidName(name))
                        {
                            reader.Error(nameNode, $"invalid process name '{name}'; names may contain only letters A-Z and a-z, digits, '_' and '-' (as in a Procfile)");
                            continue;
                        }
                        types.Add(ProcessReader.Read(reader, name, nameNode, body));
                    }
                    break;
                case "environment":
                    environment = EnvironmentReader.Read(reader, value, "environment");
                    break;
                case "ordered_shutdown" or "is_strict":
                    // Drover always stops dependents first and always rejects unknown keys: nothing to change.
                    reader.Bool(value, key);
                    break;
                default:
                    // version, name: descriptive only.
                    break;
            }
            _ = keyNode;
        }
        // Each type's own file: two types writing one file would rotate it under each other.
        foreach (var clash in types.Where(t => t.LogLocation is not null).GroupBy(t => t.LogLocation!.Path, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = clash.First();
            foreach (var other in clash.Skip(1))
            {
                reader.Error(other.LogLocation!.Source, $"{other.Type}.log_location: {clash.Key} is already the file of {first.Type} (line {first.LogLocation!.Source.Line}); give each type its own file");
            }
        }
        if (!sawProcesses && reader.Errors.Count == 0)
        {
            reader.Error(yaml.Documents[0].RootNode, "no 'processes:' mapping: a settings file gives settings by process type under 'processes:'");
        }
        return reader.Errors.Count > 0
            ? Result<SettingsDocument>.Failure(reader.Errors)
            : Result<SettingsDocument>.Success(new SettingsDocument(file, types) { Environment = environment });
    }
}
