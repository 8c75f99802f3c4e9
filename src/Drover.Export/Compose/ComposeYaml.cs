using System.Globalization;
using System.Text;

namespace Drover.Export.Compose;

/// <summary>Scalars for a Compose file, which is YAML whose strings Compose then interpolates.</summary>
internal static class ComposeYaml
{
    /// <summary>
    /// A double-quoted YAML string, so no value is read as a number, boolean or null, with <c>$</c> doubled
    /// because Compose replaces <c>$VAR</c> and <c>${VAR}</c> in every string of the file.
    /// </summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case '$': sb.Append("$$"); break;
                case < ' ' or '\x7f' or (>= '\x80' and <= '\x9f') or '\ufeff':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
