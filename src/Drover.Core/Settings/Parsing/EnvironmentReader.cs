using YamlDotNet.RepresentationModel;

namespace Drover.Core.Settings.Parsing;

/// <summary><c>environment</c>: a list of <c>"KEY=value"</c> as in process-compose, or a mapping of keys to values.</summary>
internal static class EnvironmentReader
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(YamlReader reader, YamlNode node, string key)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (YamlReader.IsNull(node))
        {
            return result;
        }
        if (node is YamlMappingNode mapping)
        {
            foreach (var (nameNode, valueNode) in mapping.Children)
            {
                if (nameNode is YamlScalarNode { Value: string name } && ValidName(reader, nameNode, name, key)
                    && reader.Text(valueNode, $"{key}: {name}") is var value)
                {
                    // `KEY:` with nothing after it is an empty value, as in Compose.
                    result.Add(new(name, YamlReader.IsNull(valueNode) ? "" : value ?? ""));
                }
            }
            return result;
        }
        if (node is not YamlSequenceNode)
        {
            reader.Error(node, $"{key}: expected a list of \"KEY=value\" or a mapping KEY: value, not {YamlReader.Describe(node)}");
            return result;
        }
        foreach (var (item, itemNode) in reader.List(node, key))
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                reader.Error(itemNode, $"{key}: expected \"KEY=value\", not '{item}'");
                continue;
            }
            string name = item[..equals];
            if (ValidName(reader, itemNode, name, key))
            {
                result.Add(new(name, item[(equals + 1)..]));
            }
        }
        return result;
    }

    private static bool ValidName(YamlReader reader, YamlNode node, string name, string key)
    {
        if (name.Length > 0 && !name.Contains('\0', StringComparison.Ordinal) && !name.Any(char.IsWhiteSpace))
        {
            return true;
        }
        reader.Error(node, $"{key}: '{name}' is not a variable name");
        return false;
    }
}
