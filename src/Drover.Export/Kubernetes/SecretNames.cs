using System.Text.RegularExpressions;

namespace Drover.Export.Kubernetes;

/// <summary>
/// Which variables go into a Secret rather than the ConfigMap: names that are, or end in <c>_</c> followed by,
/// <c>KEY</c>, <c>SECRET</c>, <c>PASSWORD</c> or <c>TOKEN</c>, in any case (<c>API_KEY</c>, <c>db_password</c>,
/// <c>TOKEN</c>). A guess by name only: docs/export.md says what it misses.
/// </summary>
public static partial class SecretNames
{
    /// <summary>True when <paramref name="name"/> looks like a secret.</summary>
    public static bool IsSecret(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("(^|_)(KEY|SECRET|PASSWORD|TOKEN)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
