using System.Text.RegularExpressions;

namespace Drover.Export.Kubernetes;

/// <summary>The name rules of Kubernetes objects that Drover's names must satisfy.</summary>
internal static partial class KubernetesNames
{
    /// <summary>The longest DNS label (container, Deployment and Service names as Drover uses them).</summary>
    public const int MaxLabel = 63;

    /// <summary>RFC 1123 label: container names, and the type part of object names.</summary>
    public static bool IsDns1123Label(string name) => name.Length <= MaxLabel && Dns1123().IsMatch(name);

    /// <summary>RFC 1035 label (starts with a letter): Service names.</summary>
    public static bool IsDns1035Label(string name) => name.Length <= MaxLabel && Dns1035().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035();
}
