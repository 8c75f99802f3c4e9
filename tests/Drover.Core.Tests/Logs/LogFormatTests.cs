using System.Text;
using Drover.Core.Logs;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.Logs;

public sealed class LogFormatTests
{
    [Fact]
    public void A_file_line_holds_utc_time_with_microseconds_the_name_and_the_bytes_as_written()
    {
        var time = new DateTimeOffset(2026, 12, 3, 14, 40, 3, TimeSpan.FromHours(1)).AddTicks(1234567);
        byte[] text = [0x68, 0x69, 0xff, 0xfe, 0x20];
        byte[] line = [.. LogLineFormat.Prefix(time, "web.12"), .. text];

        Assert.StartsWith("2026-12-03T13:40:03.123456Z web.12 | hi", Encoding.Latin1.GetString(line));
        Assert.True(LogLineFormat.TryParse(line, out long ticks, out var name, out var parsed));
        Assert.Equal(time.UtcTicks - 7, ticks);
        Assert.Equal("web.12", Encoding.UTF8.GetString(name));
        Assert.Equal(text, parsed.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("2026-13-03T13:40:03.123456Z web.1 | month 13")]
    [InlineData("2026-12-03T13:40:03.123456Z web.1 no separator")]
    [InlineData("2026-12-03 13:40:03.123456Z web.1 | no T")]
    public void Lines_not_in_the_format_are_not_parsed(string line) =>
        Assert.False(LogLineFormat.TryParse(Encoding.UTF8.GetBytes(line), out _, out _, out _));

    [Theory]
    [InlineData("web.1.log", "web.1", null, false)]
    [InlineData("drover.log", "drover", null, false)]
    [InlineData("web.1.log.000042", "web.1", 42L, false)]
    [InlineData("web.1.log.000042.gz", "web.1", 42L, true)]
    [InlineData("my-type_2.10.log.1234567", "my-type_2.10", 1234567L, false)]
    public void File_names_round_trip(string file, string log, long? sequence, bool gzip)
    {
        Assert.True(LogFileName.TryParse(file, out var name));
        Assert.Equal(new LogFileName(log, sequence, gzip), name);
        Assert.Equal(file, name.FileName);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData(".log")]
    [InlineData("web.1.log.gz")]
    [InlineData("web.1.log.000042.gz.part")]
    [InlineData("web.1.000042")]
    public void Other_files_are_not_ours(string file) => Assert.False(LogFileName.TryParse(file, out _));

    [Fact]
    public void Rotation_is_due_past_the_size_or_on_a_new_day_and_never_for_an_empty_file()
    {
        var day = new DateOnly(2026, 12, 3);
        var bySize = new LogRotation(1000, false, 5, false, null);
        Assert.False(bySize.Due(900, 100, day, day));
        Assert.True(bySize.Due(900, 101, day, day));
        Assert.False(bySize.Due(0, 5000, day, day));
        Assert.False(bySize.Due(900, 0, day, day.AddDays(1)));

        var daily = new LogRotation(null, true, 5, false, null);
        Assert.False(daily.Due(1L << 40, 1 << 20, day, day));
        Assert.True(daily.Due(1, 1, day, day.AddDays(1)));
        Assert.False(daily.Due(0, 1, day, day.AddDays(1)));
    }

    [Theory]
    [InlineData("10m", "2026-03-04T04:56:07Z")]
    [InlineData("90s", "2026-03-04T05:04:37Z")]
    [InlineData("2h", "2026-03-04T03:06:07Z")]
    [InlineData("1d", "2026-03-03T05:06:07Z")]
    [InlineData("13:40", "2026-03-04T12:40:00Z")]
    [InlineData("2026-03-01", "2026-02-28T23:00:00Z")]
    [InlineData("2026-03-01T08:30", "2026-03-01T07:30:00Z")]
    [InlineData("2026-03-01 08:30:15", "2026-03-01T07:30:15Z")]
    [InlineData("2026-03-01T08:30:15Z", "2026-03-01T08:30:15Z")]
    [InlineData("2026-03-01T08:30:15+02:00", "2026-03-01T06:30:15Z")]
    public void Times_are_ages_or_local_clock_times_or_absolute(string text, string expected)
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus-one", TimeSpan.FromHours(1), "plus-one", "plus-one");
        var parsed = LogTime.Parse(text, TestClock.Epoch, zone, out string? error);
        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10x")]
    [InlineData("25:00")]
    [InlineData("")]
    public void A_bad_time_says_which_forms_are_accepted(string text)
    {
        Assert.Null(LogTime.Parse(text, TestClock.Epoch, TimeZoneInfo.Utc, out string? error));
        Assert.Contains("is not a time", error);
    }
}
