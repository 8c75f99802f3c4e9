using System.Globalization;
using System.Text;

namespace Drover.Export;

/// <summary>Quotes user input for an error message, so control characters cannot garble the terminal.</summary>
internal static class UserText
{
    private const int MaxLength = 60;

    /// <summary><c>'text'</c>, control characters escaped, cut after 60 characters.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("'");
        foreach (char c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            sb.Append(char.IsControl(c) ? $"\\x{((int)c).ToString("x2", CultureInfo.InvariantCulture)}" : c.ToString());
        }
        return sb.Append(text.Length > MaxLength ? "'..." : "'").ToString();
    }
}
