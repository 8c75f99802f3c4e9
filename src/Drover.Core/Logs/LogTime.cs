using System.Globalization;

namespace Drover.Core.Logs;

/// <summary>
/// The times <c>--since</c> and <c>--until</c> take: an age (<c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>: that
/// long before now), a local time today (<c>13:40</c>, <c>13:40:05</c>), a local date and time
/// (<c>2026-12-03</c>, <c>2026-12-03T13:40</c>, <c>2026-12-03 13:40:05</c>), or any of these with <c>Z</c> or an offset.
/// </summary>
public static class LogTime
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF"];

    /// <summary>Reads <paramref name="text"/> relative to <paramref name="now"/> in <paramref name="zone"/>; null with <paramref name="error"/> set when it is none of the forms.</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now, TimeZoneInfo zone, out string? error)
    {
        error = null;
        string t = text.Trim();
        if (t.Length >= 2 && char.IsAsciiLetterLower(t[^1]) && double.TryParse(t.AsSpan(0, t.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
        {
            TimeSpan? age = t[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } a)
            {
                return now - a;
            }
        }
        if (t.EndsWith('Z') || HasOffset(t))
        {
            if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var absolute))
            {
                return absolute;
            }
        }
        else if (DateTime.TryParseExact(t, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return Local(local, zone);
        }
        else if (DateTime.TryParseExact(t, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.NoCurrentDateDefault, out var clock))
        {
            var today = TimeZoneInfo.ConvertTime(now, zone).Date;
            return Local(today + clock.TimeOfDay, zone);
        }
        error = $"'{text}' is not a time: use an age (30s, 10m, 2h, 1d), a time today (13:40), or a date and time (2026-12-03T13:40)";
        return null;
    }

    private static bool HasOffset(string t) =>
        t.Length > 6 && (t[^6] is '+' or '-') && t[^3] == ':' && t.Contains('T', StringComparison.Ordinal);

    private static DateTimeOffset Local(DateTime local, TimeZoneInfo zone) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));
}
