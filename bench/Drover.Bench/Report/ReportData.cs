using Drover.Bench.Tools;

namespace Drover.Bench.Report;

/// <summary>Everything the markdown report and the chart are made from.</summary>
internal sealed record ReportData(
    Options Options,
    MachineInfo Machine,
    IReadOnlyList<Tool> Tools,
    IReadOnlyDictionary<string, string> Versions,
    ResultSet Results,
    IReadOnlyList<(string Measure, string Load)> Loads,
    DateTime Began,
    DateTime Ended,
    IReadOnlyList<DateTime>? Earlier = null);

/// <summary>How a measure's numbers read: unit, scale and precision.</summary>
internal static class Format
{
    public static string Seconds(double s) => s switch
    {
        < 0.1 => $"{s:0.000} s",
        < 10 => $"{s:0.00} s",
        _ => $"{s:0.0} s",
    };

    public static string Ms(double ms) => ms < 10 ? $"{ms:0.0} ms" : $"{ms:0} ms";

    public static string MiB(double m) => $"{m:0.0} MiB";

    public static string Rate(double perSecond) => perSecond >= 1e6 ? $"{perSecond / 1e6:0.00}M" : $"{perSecond / 1e3:0}k";

    public static string Count(double n) => $"{n:N0}";
}
