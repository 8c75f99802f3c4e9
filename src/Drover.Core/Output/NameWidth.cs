namespace Drover.Core.Output;

/// <summary>
/// The one rule for the width names are padded to in a prefix: the widest name shown, and never less than
/// <c>system</c>. Used for stdout, `drover logs` and the dashboard alike.
/// </summary>
public static class NameWidth
{
    /// <summary>The least width: that of <c>system</c>, Drover's own lines.</summary>
    public static int Minimum => OutputSource.System.Name.Length;

    /// <summary>The width for <paramref name="names"/> (instance names such as <c>web.10</c>).</summary>
    public static int Of(IEnumerable<string> names) => names.Select(n => n.Length).Append(Minimum).Max();
}
