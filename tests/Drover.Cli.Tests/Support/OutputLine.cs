using System.Globalization;
using System.Text.RegularExpressions;

namespace Drover.Cli.Tests.Support;

/// <summary>One line of <c>drover start</c> output: <c>[HH:MM:SS ]name   | text</c>.</summary>
/// <param name="Time">The timestamp, when the line has one.</param>
/// <param name="Name">The instance name (<c>web.1</c>) or <c>system</c>, without padding.</param>
/// <param name="Text">What follows <c>" | "</c>.</param>
/// <param name="Raw">The whole line.</param>
internal sealed partial record OutputLine(string? Time, string Name, string Text, string Raw)
{
    /// <summary>The name of Drover's own messages.</summary>
    public const string System = "system";

    /// <summary>Parses <paramref name="raw"/>; null when it is not a prefixed line.</summary>
    public static OutputLine? TryParse(string raw)
    {
        var m = Shape().Match(raw);
        return m.Success ? new OutputLine(m.Groups["time"].Success ? m.Groups["time"].Value : null, m.Groups["name"].Value, m.Groups["text"].Value, raw) : null;
    }

    /// <summary>The instance and pid of a system line "NAME started with pid N[ on port P]"; null for any other line.</summary>
    public (string Instance, int Pid)? Started => Name == System ? ParseStarted(Text) : null;

    /// <summary>The instance and pid in the text "NAME started with pid N[ on port P]"; null for any other text.</summary>
    public static (string Instance, int Pid)? ParseStarted(string text) => StartedShape().Match(text) is { Success: true } m
        ? (m.Groups["name"].Value, int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture))
        : null;

    [GeneratedRegex(@"^(?:(?<time>\d\d:\d\d:\d\d) )?(?<name>\S+) * \| (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^(?<name>\S+) started with pid (?<pid>\d+)(?: on port \d+)?$")]
    private static partial Regex StartedShape();
}
