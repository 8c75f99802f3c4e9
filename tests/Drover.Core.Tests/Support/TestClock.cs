using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Support;

/// <summary>
/// Fake time (a <see cref="FakeTimeProvider"/>: timers fire synchronously inside <see cref="Advance"/>) whose
/// local time zone is UTC, so formatted local times are the same on every machine.
/// </summary>
internal static class TestClock
{
    /// <summary>2026-03-04 05:06:07 UTC.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static FakeTimeProvider Create(TimeZoneInfo? localZone = null)
    {
        var time = new FakeTimeProvider(Epoch);
        time.SetLocalTimeZone(localZone ?? TimeZoneInfo.Utc);
        return time;
    }
}
