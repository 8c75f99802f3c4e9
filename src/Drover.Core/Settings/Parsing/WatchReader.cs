using YamlDotNet.RepresentationModel;

namespace Drover.Core.Settings.Parsing;

/// <summary><c>watch</c>: a list of paths, or a mapping with <c>paths</c>, <c>ignore</c> and <c>restart_dependents</c>.</summary>
internal static class WatchReader
{
    public static WatchSpec? Read(YamlReader reader, YamlNode node, string key)
    {
        if (node is YamlSequenceNode or YamlScalarNode && !YamlReader.IsNull(node))
        {
            return new WatchSpec([.. reader.List(node, key).Select(p => p.Value)], [], false);
        }
        var paths = new List<string>();
        var ignore = new List<string>();
        bool dependents = false;
        foreach (var (name, _, value) in reader.Entries(node, key, SettingsKeys.Watch))
        {
            string at = $"{key}.{name}";
            switch (name)
            {
                case "paths":
                    paths.AddRange(Paths(reader, value, at));
                    break;
                case "ignore":
                    ignore.AddRange(reader.List(value, at).Select(p => p.Value));
                    break;
                default:
                    // restart_dependents, or process-compose's name for it, cascade.
                    dependents = reader.Bool(value, at) ?? dependents;
                    break;
            }
        }
        if (paths.Count == 0)
        {
            reader.Error(node, $"{key}: needs at least one path");
            return null;
        }
        return new WatchSpec(paths, ignore, dependents);
    }

    // process-compose writes paths as {path: ...} entries; plain strings are accepted too.
    private static IEnumerable<string> Paths(YamlReader reader, YamlNode node, string key)
    {
        if (node is not YamlSequenceNode sequence)
        {
            return reader.List(node, key).Select(p => p.Value);
        }
        var result = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlMappingNode mapping)
            {
                foreach (var (childKey, value) in mapping.Children)
                {
                    string name = (childKey as YamlScalarNode)?.Value ?? "";
                    if (name == "path")
                    {
                        result.AddRange(reader.List(value, $"{key}.path").Select(p => p.Value));
                    }
                    else
                    {
                        reader.Error(childKey, $"{key}: '{name}' is not supported by Drover (use watch.ignore)");
                    }
                }
            }
            else
            {
                result.AddRange(reader.List(item, key).Select(p => p.Value));
            }
        }
        return result;
    }
}
