using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Usage: dotnet run -c Release --project bench/Drover.Micro -- [--summary FILE] [BenchmarkDotNet options]
// Without --job the short run (3 warm-ups, 3 iterations) is used. Benchmarks run in process: the generated
// out-of-process project would inherit the repo's Directory.Build.props and central package versions.
string? summaryPath = null;
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--summary" && i + 1 < args.Length)
    {
        summaryPath = args[++i];
    }
    else
    {
        rest.Add(args[i]);
    }
}
var config = DefaultConfig.Instance;
if (!rest.Contains("--job") && !rest.Contains("-j"))
{
    config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
if (!rest.Contains("--filter") && !rest.Contains("-f"))
{
    rest.AddRange(["--filter", "*"]);
}
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Drover.Micro.ParserBenchmarks).Assembly).Run([.. rest], config).ToList();
if (summaryPath is not null)
{
    File.WriteAllText(summaryPath, Render(summaries));
}
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

static string Render(List<Summary> summaries)
{
    var md = new StringBuilder();
    var first = summaries.FirstOrDefault();
    md.AppendLine("`dotnet run -c Release --project bench/Drover.Micro` (BenchmarkDotNet 0.15.8, short run: 3 warm-ups and 3 iterations, in process).");
    if (first is not null)
    {
        md.AppendLine();
        md.AppendLine("```");
        foreach (var line in first.HostEnvironmentInfo.ToFormattedString())
        {
            md.AppendLine(line);
        }
        md.AppendLine("```");
    }
    md.AppendLine();
    md.AppendLine("| benchmark | mean per operation | error (99.9 %) | per second | allocated per operation |");
    md.AppendLine("|---|---|---|---|---|");
    foreach (var report in summaries.SelectMany(s => s.Reports))
    {
        var c = report.BenchmarkCase;
        string name = c.Descriptor.Type.Name + "." + c.Descriptor.WorkloadMethod.Name
            + (c.HasParameters ? $" ({c.Parameters.PrintInfo})" : "");
        var stats = report.ResultStatistics;
        if (stats is null)
        {
            md.AppendLine($"| {name} | failed | | | |");
            continue;
        }
        bool perLine = c.Descriptor.OperationsPerInvoke > 1;
        double perSecond = 1e9 / stats.Mean;
        string rate = perLine ? $"{perSecond / 1e6:0.00}M lines/s" : $"{perSecond:N0} parses/s";
        long? bytes = report.GcStats.GetBytesAllocatedPerOperation(c);
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Time(stats.Mean)} | ±{Time(stats.ConfidenceInterval.Margin)} | {rate} | {(bytes is { } b ? $"{b:N0} B" : "?")} |"));
    }
    md.AppendLine();
    md.AppendLine("One operation of `OutputBenchmarks.FramerToHub` is one 55-byte line: 4 sources × 50,000 lines fed in 4 KiB reads through `LineFramer` into `OutputHub` (one writer thread, `Stream.Null`), including the hub's start and final drain.");
    return md.ToString();
}

static string Time(double ns) => ns switch
{
    < 1_000 => $"{ns:0.0} ns",
    < 1_000_000 => $"{ns / 1_000:0.00} µs",
    _ => $"{ns / 1_000_000:0.00} ms",
};
