using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Drover.Export.Tests.Support;

/// <summary>
/// Reads YAML with YamlDotNet (a reader independent of the emitter under test) and turns it into JSON, resolving
/// plain scalars strictly: a plain scalar that YAML 1.1 (go-yaml v2, which kubectl's sigs.k8s.io/yaml uses) or
/// YAML 1.2 would read as anything but a string must be exactly JSON's <c>null</c>, <c>true</c>, <c>false</c> or a
/// JSON number, or the conversion fails.
/// </summary>
internal static partial class YamlToJson
{
    public static JsonNode? Document(string yaml) => Assert.Single(Documents(yaml));

    public static List<JsonNode?> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => Convert(d.RootNode))];
    }

    public static JsonElement Element(JsonNode? node) =>
        JsonDocument.Parse(node?.ToJsonString() ?? "null").RootElement.Clone();

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var scalar = Assert.IsType<YamlScalarNode>(key);
                    Assert.True(scalar.Style != ScalarStyle.Plain || !IsNonString(scalar.Value!),
                        $"the plain key {scalar.Value} is not read as a string by every YAML reader");
                    obj.Add(scalar.Value!, Convert(value));
                }
                return obj;
            case YamlSequenceNode seq:
                return new JsonArray([.. seq.Children.Select(Convert)]);
            case YamlScalarNode s when s.Style != ScalarStyle.Plain:
                return JsonValue.Create(s.Value);
            case YamlScalarNode s:
                return Plain(s.Value!);
            default:
                throw new InvalidOperationException($"unexpected YAML node {node.NodeType}");
        }
    }

    private static JsonNode? Plain(string value)
    {
        if (!IsNonString(value))
        {
            return JsonValue.Create(value);
        }
        if (value == "null")
        {
            return null;
        }
        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }
        Assert.True(JsonNumber().IsMatch(value), $"the plain scalar {value} is read as a non-string, and is not a JSON literal");
        return JsonNode.Parse(value);
    }

    /// <summary>Whether YAML 1.1's or 1.2's implicit types take the plain scalar for something else than a string.</summary>
    public static bool IsNonString(string plain) =>
        Yaml11Bool().IsMatch(plain) || Yaml11Null().IsMatch(plain) || Yaml11Int().IsMatch(plain)
        || Yaml11Float().IsMatch(plain) || Yaml11Special().IsMatch(plain) || Yaml11Timestamp().IsMatch(plain)
        || Yaml12Int().IsMatch(plain) || Yaml12Float().IsMatch(plain);

    // https://yaml.org/type/bool.html, null.html, int.html, float.html, merge.html, value.html, timestamp.html
    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Yaml11Bool();

    [GeneratedRegex("^(~|null|Null|NULL|)$")]
    private static partial Regex Yaml11Null();

    [GeneratedRegex("^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$")]
    private static partial Regex Yaml11Int();

    [GeneratedRegex(@"^([-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Yaml11Float();

    [GeneratedRegex("^(<<|=)$")]
    private static partial Regex Yaml11Special();

    [GeneratedRegex("^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?")]
    private static partial Regex Yaml11Timestamp();

    // https://yaml.org/spec/1.2.2/#1032-tag-resolution (core schema; null and bool are covered above)
    [GeneratedRegex("^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")]
    private static partial Regex Yaml12Int();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Yaml12Float();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
