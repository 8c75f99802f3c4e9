using System.Runtime.InteropServices;
using Drover.Bench;
using Drover.Bench.Measures;
using Drover.Bench.Report;
using Drover.Bench.Tools;

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{Options.Usage}");
    return 2;
}

// With --merge the report has every tool's column, measured now or taken from the earlier run.
bool allColumns = options.RenderOnly || options.Merge is not null;
var tools = new List<Tool> { new Baseline(), new DroverTool("drover", "Drover (AOT)", options.Drover ?? "drover") };
if (options.DroverJit is not null || allColumns)
{
    tools.Add(new DroverTool("drover-jit", "Drover (JIT)", options.DroverJit ?? "drover"));
}
foreach (var (name, path) in options.DroverAlso)
{
    tools.Add(new DroverTool("drover-" + name, $"Drover ({name})", path));
}
foreach (var (name, path) in options.DroverPty)
{
    tools.Add(new DroverTool("drover-pty-" + name, $"Drover ({name}, PTY)", path, ["--tty", "always"]));
}
tools.Add(new Foreman());
if (options.Nf is not null || allColumns)
{
    tools.Add(new NodeForeman(options.Nf ?? "nf"));
}
if (options.Pm2Runtime is not null || allColumns)
{
    tools.Add(new Pm2(options.Pm2Runtime ?? "pm2-runtime"));
}
tools.Add(new Supervisord());
var columns = tools;
if (options.Tools is not null)
{
    tools = [.. tools.Where(t => options.Tools.Contains(t.Id))];
}

if (options.RenderOnly)
{
    var (meta, saved) = ResultsFile.Load(options.Json);
    options.Reps = meta.Reps;
    options.HeavyReps = meta.HeavyReps;
    var measured = tools.Where(t => meta.Versions.ContainsKey(t.Id)).ToList();
    var again = new ReportData(options, meta.Machine, measured, meta.Versions, saved,
        [.. meta.Loads.Select(l => (l.Measure, l.Load))], meta.Began, meta.Ended, meta.Earlier);
    File.WriteAllText(options.Svg!, SvgChart.Render(again));
    File.WriteAllText(options.Out, MarkdownReport.Render(again));
    Console.Error.WriteLine($"rendered {options.Out} and {options.Svg} from {options.Json}");
    return 0;
}

using var fixtures = Fixtures.Create();
// Whatever happens (Ctrl-C, SIGTERM, an exception), kill every process this harness started and remove its files.
void CleanUp()
{
    ManagedRun.DisposeAll();
    fixtures.Dispose();
}
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => CleanUp());
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => CleanUp());
AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUp();

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Json))!);
Log.To(Path.ChangeExtension(options.Json, ".log"));

var machine = MachineInfo.Read();
var versions = tools.ToDictionary(t => t.Id, t => t.Version());
foreach (var t in tools)
{
    Log.Line($"{t.Display}: {versions[t.Id]}");
}
Log.Line($"machine: {machine.Cpu}, {machine.Cores} cores, {machine.MemoryGiB:0.0} GiB, kernel {machine.Kernel}; load {LoadMonitor.LoadAverage()}");

var results = new ResultSet();
var loads = new List<(string Measure, string Load)>();
var began = DateTime.Now;

void Block(string measure, int reps, IEnumerable<Tool> which, Action<Tool, double> once)
{
    loads.Add((measure, LoadMonitor.LoadAverage()));
    Log.Line($"{measure}: {reps} repetitions; load average {LoadMonitor.LoadAverage()}");
    // Tools take turns within each repetition, so a slow drift in the machine's load hits them all alike.
    for (int rep = 1; rep <= reps; rep++)
    {
        foreach (var tool in which)
        {
            double busy = LoadMonitor.WaitForQuiet(TimeSpan.FromSeconds(20));
            try
            {
                once(tool, busy);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Log.Line($"  {tool.Display}: {measure} failed: {e.Message}");
            }
        }
    }
}

try
{
    if (options.Wants("check"))
    {
        Block("check start-up", 10, tools.Where(CheckStartup.Applies), (t, busy) => CheckStartup.RunOnce(t, results, busy));
    }
    if (options.Wants("start"))
    {
        foreach (int n in new[] { 1, 10, 100 })
        {
            Block($"start/stop N={n}", options.Reps, tools, (t, busy) => StartStop.RunOnce(t, n, results, busy));
        }
    }
    if (options.Wants("throughput"))
    {
        Block("log throughput", options.HeavyReps, tools, (t, busy) => Throughput.RunOnce(t, fixtures, results, busy));
    }
    if (options.Wants("crash"))
    {
        Block("crash-to-restart", options.HeavyReps, tools, (t, busy) => Crash.RunOnce(t, fixtures, results, busy));
    }
    if (options.Wants("stubborn"))
    {
        Block("stubborn children", options.HeavyReps, tools.Where(t => t is not Baseline), (t, busy) => Stubborn.RunOnce(t, fixtures, results, busy));
    }
    if (options.Wants("kill9"))
    {
        Block("kill -9", options.HeavyReps, tools, (t, busy) => KillNine.RunOnce(t, fixtures, results, busy));
    }
}
finally
{
    ManagedRun.DisposeAll();
}

var ended = DateTime.Now;
List<DateTime>? earlierRuns = null;
var reported = tools;
if (options.Merge is not null)
{
    var (earlier, earlierLoads) = ResultsFile.MergeInto(options.Merge, results, versions);
    earlierRuns = earlier;
    loads.AddRange(earlierLoads);
    reported = [.. columns.Where(t => versions.ContainsKey(t.Id))];
}
var report = new ReportData(options, machine, reported, versions, results, loads, began, ended, earlierRuns);
ResultsFile.Save(options.Json, new ResultsFile.MetaDto(began, ended, options.Reps, options.HeavyReps,
    [.. loads.Select(l => new ResultsFile.LoadDto(l.Measure, l.Load))], versions, machine, earlierRuns), results);
File.WriteAllText(options.Svg!, SvgChart.Render(report));
File.WriteAllText(options.Out, MarkdownReport.Render(report));
Log.Line($"wrote {options.Out}, {options.Svg}, {options.Json}");
return 0;
