namespace Drover.Export.Tests.Support;

/// <summary>
/// The moments test processes print of themselves, as lines <c>WHAT SECONDS [...]</c> (seconds since the epoch, from
/// <c>date +%s.%N</c>): one host clock for every container and unit, so they order what happened across them.
/// </summary>
internal static class Moments
{
    /// <summary>The first moment printed for <paramref name="what"/> in <paramref name="output"/>, or null.</summary>
    public static double? Of(string output, string what) =>
        output.Split('\n').Select(l => l.Split(' '))
            .Where(p => p.Length >= 2 && p[0] == what)
            .Select(p => (double?)double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
