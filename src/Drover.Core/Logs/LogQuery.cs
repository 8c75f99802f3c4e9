using System.Text.RegularExpressions;

namespace Drover.Core.Logs;

/// <summary>What to find in a log directory.</summary>
/// <param name="Target">A type or instance; null for everything (the combined log, lifecycle lines included).</param>
/// <param name="Since">Lines at or after this time.</param>
/// <param name="Until">Lines at or before this time.</param>
/// <param name="Grep">Lines whose text (after the prefix) matches.</param>
/// <param name="Last">Only the last N matching lines.</param>
public sealed record LogQuery(string? Target = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, Regex? Grep = null, int? Last = null)
{
    /// <summary>Builds the regex of <c>--grep</c>: culture-free, with a match timeout so a pathological pattern cannot hang a search.</summary>
    public static Regex Pattern(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
}
