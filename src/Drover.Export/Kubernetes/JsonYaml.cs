using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Drover.Export.Kubernetes;

/// <summary>
/// Turns JSON (a <see cref="JsonElement"/>) into block-style YAML that every YAML 1.1 or 1.2 reader (go-yaml in
/// kubectl, YamlDotNet) reads back as the same JSON: maps as <c>key: value</c>, sequences as <c>- item</c>
/// (not indented under their key, as kubectl writes them), empty ones as <c>{}</c> and <c>[]</c>.
/// </summary>
/// <remarks>
/// Numbers, booleans and null are written as JSON wrote them. A string is written plain only when no reader can
/// take it for anything else; otherwise it is double-quoted with escapes, or, when it spans lines, written as a
/// <c>|</c> literal block if that keeps it exactly. Nothing here uses reflection, so it works under Native AOT.
/// </remarks>
internal static class JsonYaml
{
    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";

    // Plain scalars that YAML 1.1 (go-yaml v2, YamlDotNet) or 1.2 resolves to null, a boolean, a merge key or a
    // value key. Numbers, infinities, NaN, timestamps and sexagesimals all start with a digit, '.', or a sign
    // followed by one of those, and are caught by that rule instead.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "=", "<<",
    };

    /// <summary>
    /// One YAML document, ending in a newline. <paramref name="leadingKeys"/> that the root object has are written
    /// first, in that order (Kubernetes manifests read best with <c>apiVersion</c>, <c>kind</c>, <c>metadata</c> on
    /// top); every other key keeps its JSON order.
    /// </summary>
    /// <exception cref="ArgumentException">An object has the same key twice (YAML readers reject that).</exception>
    public static string Document(JsonElement root, IReadOnlyList<string>? leadingKeys = null)
    {
        var sb = new StringBuilder();
        WriteRoot(sb, root, leadingKeys ?? []);
        return sb.ToString();
    }

    /// <summary>Several documents in one stream, separated by <c>---</c> lines.</summary>
    public static string Documents(IEnumerable<JsonElement> roots, IReadOnlyList<string>? leadingKeys = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var sb = new StringBuilder();
        bool first = true;
        foreach (var root in roots)
        {
            if (!first)
            {
                sb.Append("---\n");
            }
            first = false;
            WriteRoot(sb, root, leadingKeys ?? []);
        }
        return sb.ToString();
    }

    private static void WriteRoot(StringBuilder sb, JsonElement root, IReadOnlyList<string> leadingKeys)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Object when HasItems(root):
                WriteEntries(sb, Ordered(root, leadingKeys), 0, inline: false);
                break;
            case JsonValueKind.Array when HasItems(root):
                WriteItems(sb, root, 0, inline: false);
                break;
            default:
                // A scalar document: its block content is indented by 2 like any other.
                WriteScalarValue(sb, root, 2);
                break;
        }
    }

    /// <summary>The properties of an object, <paramref name="leadingKeys"/> first; checks for duplicate keys.</summary>
    private static List<JsonProperty> Ordered(JsonElement obj, IReadOnlyList<string> leadingKeys)
    {
        var properties = new List<JsonProperty>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new ArgumentException($"the JSON object has the key {Scalar(property.Name)} twice", nameof(obj));
            }
            properties.Add(property);
        }
        if (leadingKeys.Count == 0)
        {
            return properties;
        }
        var leading = leadingKeys.SelectMany(k => properties.Where(p => p.Name == k)).ToList();
        return [.. leading, .. properties.Where(p => !leadingKeys.Contains(p.Name))];
    }

    /// <summary>Map entries at <paramref name="indent"/>; when <paramref name="inline"/>, the first one follows a <c>- </c> already written.</summary>
    private static void WriteEntries(StringBuilder sb, List<JsonProperty> properties, int indent, bool inline)
    {
        foreach (var property in properties)
        {
            if (!inline)
            {
                sb.Append(' ', indent);
            }
            inline = false;
            sb.Append(Scalar(property.Name)).Append(':');
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when HasItems(value):
                    sb.Append('\n');
                    WriteEntries(sb, Ordered(value, []), indent + 2, inline: false);
                    break;
                case JsonValueKind.Array when HasItems(value):
                    // Indentless, as kubectl and the old serializer write them: "key:\n- item".
                    sb.Append('\n');
                    WriteItems(sb, value, indent, inline: false);
                    break;
                default:
                    sb.Append(' ');
                    WriteScalarValue(sb, value, indent + 2);
                    break;
            }
        }
    }

    /// <summary>Sequence items at <paramref name="indent"/>; when <paramref name="inline"/>, the first one follows a <c>- </c> already written.</summary>
    private static void WriteItems(StringBuilder sb, JsonElement array, int indent, bool inline)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (!inline)
            {
                sb.Append(' ', indent);
            }
            inline = false;
            sb.Append("- ");
            switch (item.ValueKind)
            {
                case JsonValueKind.Object when HasItems(item):
                    WriteEntries(sb, Ordered(item, []), indent + 2, inline: true);
                    break;
                case JsonValueKind.Array when HasItems(item):
                    WriteItems(sb, item, indent + 2, inline: true);
                    break;
                default:
                    WriteScalarValue(sb, item, indent + 2);
                    break;
            }
        }
    }

    /// <summary>A scalar, <c>{}</c> or <c>[]</c> and its newline; a literal block's lines go at <paramref name="blockIndent"/>.</summary>
    private static void WriteScalarValue(StringBuilder sb, JsonElement value, int blockIndent)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append("{}\n");
                break;
            case JsonValueKind.Array:
                sb.Append("[]\n");
                break;
            case JsonValueKind.String:
                string s = value.GetString()!;
                if (Literal(s) is { } header)
                {
                    WriteLiteral(sb, s, header, blockIndent);
                }
                else
                {
                    sb.Append(Scalar(s)).Append('\n');
                }
                break;
            case JsonValueKind.Number:
                // JSON's number syntax is a subset of YAML's, in 1.1 and 1.2.
                sb.Append(value.GetRawText()).Append('\n');
                break;
            case JsonValueKind.True:
                sb.Append("true\n");
                break;
            case JsonValueKind.False:
                sb.Append("false\n");
                break;
            case JsonValueKind.Null:
                sb.Append("null\n");
                break;
            default:
                throw new ArgumentException($"no YAML for a JSON {value.ValueKind}", nameof(value));
        }
    }

    private static bool HasItems(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Any(),
        JsonValueKind.Array => e.GetArrayLength() > 0,
        _ => false,
    };

    /// <summary>A string as a one-line YAML scalar: plain when that reads back as the same string, else double-quoted.</summary>
    internal static string Scalar(string s) => IsPlainSafe(s) ? s : DoubleQuoted(s);

    /// <summary>
    /// Whether <paramref name="s"/> can be written without quotes: read as a string (not null, a boolean or a
    /// number) by YAML 1.1 and 1.2 readers, with nothing that starts a comment, a key, a tag, an anchor, an alias,
    /// a flow collection, a block scalar or a document marker, and no blanks at either end.
    /// </summary>
    internal static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || Reserved.Contains(s))
        {
            return false;
        }
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\t' || !IsPrintable(s, i))
            {
                return false;
            }
        }
        char first = s[0];
        if (first == ' ' || s[^1] == ' ')
        {
            return false;
        }
        // '-' before a non-blank ("-c", "--flag") is plain; '?' and ':' there are too in YAML 1.2, but not in
        // every reader, so they are quoted.
        if (Indicators.Contains(first, StringComparison.Ordinal) && !(first == '-' && s.Length > 1 && s[1] != ' '))
        {
            return false;
        }
        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }
        if (LooksNumeric(s))
        {
            return false;
        }
        return !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && s[^1] != ':';
    }

    // Every YAML number (int, float, octal, hex, binary, .inf, .nan, 1_000, 1:30, 2001-12-14) starts with a digit
    // or '.', after an optional sign. Quoting all such strings is more than needed, never less.
    private static bool LooksNumeric(string s)
    {
        int i = s[0] is '+' or '-' ? 1 : 0;
        return i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.');
    }

    /// <summary>
    /// Characters YAML allows in a plain or block scalar as they are (the c-printable set without the
    /// characters YAML 1.1 reads as line breaks, NEL, LS and PS, and without the byte order mark).
    /// Surrogates are allowed only as halves of a pair, which <see cref="IsPrintable(string, int)"/> checks.
    /// </summary>
    private static bool IsPrintable(char c) =>
        c == '\t'
        || (c >= ' ' && c <= '~')
        || (c >= '\u00A0' && c <= '\uD7FF' && c != '\u2028' && c != '\u2029')
        || char.IsSurrogate(c)
        || (c >= '\uE000' && c <= '\uFFFD' && c != '\uFEFF');

    private static bool IsPrintable(string s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
        : char.IsLowSurrogate(s[i]) ? i > 0 && char.IsHighSurrogate(s[i - 1])
        : IsPrintable(s[i]);

    /// <summary>
    /// The header of a literal block (<c>|</c>, <c>|-</c> or <c>|+</c>) that keeps <paramref name="s"/> exactly,
    /// or null when it has no line break or a literal block could not keep it: characters that must be escaped,
    /// a carriage return, blanks at the start of its first line or at the end of a line (indentation detection
    /// and editors would lose them), a tab starting a line, or no text at all.
    /// </summary>
    internal static string? Literal(string s)
    {
        if (!s.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '\n' && !IsPrintable(s, i))
            {
                return null;
            }
        }
        string body = s.TrimEnd('\n');
        if (body.Length == 0)
        {
            return null;
        }
        string[] lines = body.Split('\n');
        bool content = false;
        foreach (string line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (!content && line[0] == ' ')
            {
                return null;
            }
            content = true;
            if (line[0] == '\t' || line[^1] is ' ' or '\t')
            {
                return null;
            }
        }
        int trailing = s.Length - body.Length;
        return trailing switch
        {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
    }

    private static void WriteLiteral(StringBuilder sb, string s, string header, int indent)
    {
        sb.Append(header).Append('\n');
        // Every line but the empty ones gets the indentation; with "|+" the trailing empty lines are kept as well.
        string[] lines = (header == "|-" ? s : s[..^1]).Split('\n');
        foreach (string line in lines)
        {
            if (line.Length > 0)
            {
                sb.Append(' ', indent).Append(line);
            }
            sb.Append('\n');
        }
    }

    /// <summary>A double-quoted YAML scalar: <c>\</c> and <c>"</c> escaped, and every character YAML would not keep as it is.</summary>
    internal static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\0': sb.Append("\\0"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\v': sb.Append("\\v"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                case '\u001B': sb.Append("\\e"); break;
                case '\u0085': sb.Append("\\N"); break;
                case '\u2028': sb.Append("\\L"); break;
                case '\u2029': sb.Append("\\P"); break;
                default:
                    if (IsPrintable(s, i))
                    {
                        sb.Append(c);
                    }
                    else if (c <= '\u00FF')
                    {
                        sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
