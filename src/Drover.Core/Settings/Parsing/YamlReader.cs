using System.Globalization;
using Drover.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Drover.Core.Settings.Parsing;

/// <summary>
/// Reads values out of YamlDotNet's representation model (no object mapping, so nothing for Native AOT to lose)
/// and collects every problem as a diagnostic naming file, line, column and key.
/// </summary>
internal sealed class YamlReader(string file)
{
    public string File => file;

    public List<Diagnostic> Errors { get; } = [];

    public SettingsSource Source(YamlNode node) => new(file, (int)node.Start.Line);

    public void Error(YamlNode node, string message) =>
        Errors.Add(new Diagnostic(file, (int)node.Start.Line, (int)node.Start.Column, message));

    public void Error(SettingsSource at, string message) =>
        Errors.Add(new Diagnostic(at.File, at.Line, 0, message));

    /// <summary>A plain empty value (<c>key:</c> with nothing after it), which YAML reads as null.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null");

    /// <summary>The entries of a mapping whose keys are in <paramref name="keys"/>; the others are reported.</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries(YamlNode node, string what, SettingsKeys keys)
    {
        if (IsNull(node))
        {
            yield break;
        }
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping of keys to values");
            yield break;
        }
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: string key } scalar)
            {
                Error(keyNode, $"{what}: a key must be a plain name");
                continue;
            }
            if (keys.Supported.Contains(key))
            {
                yield return (key, scalar, value);
            }
            else if (keys.Unsupported.Contains(key))
            {
                Error(scalar, $"{what}: '{key}' is not supported by Drover (docs/settings.md lists what is)");
            }
            else
            {
                string? near = keys.Nearest(key);
                Error(scalar, $"{what}: unknown key '{key}'" + (near is null ? "" : $" (did you mean '{near}'?)"));
            }
        }
    }

    /// <summary>The entries of a mapping with names chosen by the user (process names, dependency names).</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> NamedEntries(YamlNode node, string what)
    {
        if (IsNull(node))
        {
            yield break;
        }
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping of names to settings");
            yield break;
        }
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: string key } scalar && key.Length > 0)
            {
                yield return (key, scalar, value);
            }
            else
            {
                Error(keyNode, $"{what}: expected a name");
            }
        }
    }

    public string? Text(YamlNode node, string key)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar.Value ?? "";
        }
        Error(node, $"{key}: expected a single value, not {Describe(node)}");
        return null;
    }

    public bool? Bool(YamlNode node, string key)
    {
        string? text = node is YamlScalarNode s ? s.Value : null;
        switch (text)
        {
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(node, $"{key}: expected true or false, not {Describe(node)}");
                return null;
        }
    }

    public int? Int(YamlNode node, string key, int min, int max = int.MaxValue)
    {
        string? text = node is YamlScalarNode s ? s.Value : null;
        if (text is not null && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
        {
            if (n >= min && n <= max)
            {
                return n;
            }
            Error(node, n < 0 && min >= 0
                ? $"{key}: must not be negative, not {n}"
                : $"{key}: expected a whole number from {min} to {max}, not {n}");
            return null;
        }
        Error(node, $"{key}: expected a whole number, not {Describe(node)}");
        return null;
    }

    public double? Seconds(YamlNode node, string key)
    {
        string? text = node is YamlScalarNode s ? s.Value : null;
        if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
        {
            if (d is >= 0 and <= 86400 * 365)
            {
                return d;
            }
            Error(node, d < 0 ? $"{key}: must not be negative, not {text}" : $"{key}: {text} seconds is too long");
            return null;
        }
        Error(node, $"{key}: expected a number of seconds, not {Describe(node)}");
        return null;
    }

    /// <summary>A list of single values; a single value alone is taken as a list of one.</summary>
    public List<(string Value, YamlNode Node)> List(YamlNode node, string key)
    {
        var items = new List<(string, YamlNode)>();
        if (IsNull(node))
        {
            return items;
        }
        if (node is YamlScalarNode)
        {
            if (Text(node, key) is string one)
            {
                items.Add((one, node));
            }
            return items;
        }
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"{key}: expected a list, not {Describe(node)}");
            return items;
        }
        foreach (var item in sequence.Children)
        {
            if (Text(item, key) is string text)
            {
                items.Add((text, item));
            }
        }
        return items;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{Short(s.Value ?? "")}'",
        _ => "this",
    };

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
