namespace Drover.Export.Tests.Support;

/// <summary>Waits for a condition instead of sleeping a fixed time; the timeout is only a generous upper bound.</summary>
internal static class Wait
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static T For<T>(Func<T?> probe, string what, TimeSpan? timeout = null, Func<string>? context = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? Long);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}" + (context is null ? "" : $"\n{context()}"));
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>The same for a value type (a moment, a number): null until it comes.</summary>
    public static T ForValue<T>(Func<T?> probe, string what, TimeSpan? timeout = null, Func<string>? context = null)
        where T : struct
    {
        T? found = null;
        Until(() => (found = probe()) is not null, what, timeout, context);
        return found!.Value;
    }

    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? context = null) =>
        For(() => condition() ? "" : null, what, timeout, context);
}
