using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Drover.Core.Logs;

/// <summary>
/// One line of a log file: <c>2026-12-03T13:40:03.123456Z web.1 | text</c>. The time is UTC with microseconds (so a
/// file sorts and compares without a time zone), the name is the instance (or <c>system</c>), and the text is the
/// bytes the child wrote, untouched (invalid UTF-8 included).
/// </summary>
public static class LogLineFormat
{
    /// <summary>Length of the time field: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public const int TimeLength = 27;

    private static readonly byte[] Separator = " | "u8.ToArray();

    /// <summary>The bytes put before each line's text: time, name and separator.</summary>
    public static byte[] Prefix(DateTimeOffset time, string name)
    {
        var prefix = new byte[TimeLength + 1 + Encoding.UTF8.GetByteCount(name) + Separator.Length];
        WriteTime(prefix, time);
        prefix[TimeLength] = (byte)' ';
        int n = Encoding.UTF8.GetBytes(name, prefix.AsSpan(TimeLength + 1));
        Separator.CopyTo(prefix.AsSpan(TimeLength + 1 + n));
        return prefix;
    }

    /// <summary>Writes the UTC time in the fixed form at the start of <paramref name="into"/>.</summary>
    public static void WriteTime(Span<byte> into, DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        Two(into, 0, t.Year / 100);
        Two(into, 2, t.Year % 100);
        into[4] = (byte)'-';
        Two(into, 5, t.Month);
        into[7] = (byte)'-';
        Two(into, 8, t.Day);
        into[10] = (byte)'T';
        Two(into, 11, t.Hour);
        into[13] = (byte)':';
        Two(into, 14, t.Minute);
        into[16] = (byte)':';
        Two(into, 17, t.Second);
        into[19] = (byte)'.';
        int micro = (int)(t.Ticks % TimeSpan.TicksPerSecond / 10);
        for (int i = 25; i >= 20; i--)
        {
            into[i] = (byte)('0' + (micro % 10));
            micro /= 10;
        }
        into[26] = (byte)'Z';
    }

    /// <summary>Splits a file line (without its newline) into time, name and text; false when it is not one of ours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> line, out long utcTicks, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> text)
    {
        utcTicks = 0;
        name = default;
        text = default;
        if (line.Length < TimeLength + 1 + 1 + Separator.Length || line[TimeLength] != (byte)' ' || !TryParseTime(line[..TimeLength], out utcTicks))
        {
            return false;
        }
        var rest = line[(TimeLength + 1)..];
        int sep = rest.IndexOf(Separator);
        if (sep <= 0)
        {
            return false;
        }
        name = rest[..sep];
        text = rest[(sep + Separator.Length)..];
        return true;
    }

    /// <summary>Reads the fixed-form UTC time; false when malformed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTime(ReadOnlySpan<byte> time, out long utcTicks)
    {
        utcTicks = 0;
        if (time.Length != TimeLength || time[4] != '-' || time[7] != '-' || time[10] != 'T' || time[13] != ':'
            || time[16] != ':' || time[19] != '.' || time[26] != 'Z'
            || !Utf8Parser.TryParse(time[20..26], out int micro, out int used) || used != 6)
        {
            return false;
        }
        int year = Digits(time[..4]), month = Digits(time[5..7]), day = Digits(time[8..10]);
        int hour = Digits(time[11..13]), minute = Digits(time[14..16]), second = Digits(time[17..19]);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        utcTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + (micro * 10L);
        return true;
    }

    private static int Digits(ReadOnlySpan<byte> digits)
    {
        int n = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }
            n = (n * 10) + (b - '0');
        }
        return n;
    }

    private static void Two(Span<byte> into, int at, int value)
    {
        into[at] = (byte)('0' + (value / 10));
        into[at + 1] = (byte)('0' + (value % 10));
    }
}
