using System.Diagnostics;
using System.Globalization;
using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Probes;

// probe-cost N SECONDS PORT [none|http]: N `sleep` instances, each with (http) or without (none) an HTTP readiness
//   probe every second aimed at PORT (one server outside this process: the cost measured is Drover's side);
//   prints this process's CPU seconds over SECONDS once every instance is ready and SETTLE (10) seconds more,
//   from /proc/self/stat.
// races ROUNDS: see Races.cs.
string mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "probe-cost":
        return await ProbeCost(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture), args.Length > 4 ? args[4] : "http");
    case "races":
        return await Races.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine("usage: Drover.Probes probe-cost N SECONDS PORT [none|http] | races ROUNDS");
        return 2;
}

static async Task<int> ProbeCost(int count, int seconds, int port, string probes)
{
    int settle = int.Parse(Environment.GetEnvironmentVariable("SETTLE") ?? "10", CultureInfo.InvariantCulture);
    var probe = new ProbeSpec(new ProbeCheck.Http("http", "127.0.0.1", port, "/", null)) { Period = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) };
    var settings = new TypeSettings("svc") { Readiness = probes == "http" ? probe : null };
    await using var formation = new Formation([("svc", count, "exec sleep 100000", settings)]);
    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (true)
    {
        var all = await formation.Supervisor.SnapshotAsync();
        if (all.Count == count && all.All(s => s.Ready))
        {
            break;
        }
        if (DateTime.UtcNow > deadline)
        {
            Console.Error.WriteLine("not every instance became ready in 60 s");
            return 1;
        }
        await Task.Delay(100);
    }
    // Settle after the start burst (the JIT build compiles and recompiles hot code for a while after it; the AOT
    // drover compiles nothing at run time), then measure, reporting each tenth of the window too.
    await Task.Delay(TimeSpan.FromSeconds(settle));
    var (cpu0, wall0) = (CpuSeconds(), Stopwatch.GetTimestamp());
    var slices = new List<string>();
    double last = cpu0;
    for (int k = 1; k <= 10; k++)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds / 10.0));
        double now = CpuSeconds();
        slices.Add(string.Create(CultureInfo.InvariantCulture, $"{100 * (now - last) / (seconds / 10.0):0.0}"));
        last = now;
    }
    var (cpu1, wall) = (CpuSeconds(), Stopwatch.GetElapsedTime(wall0).TotalSeconds);
    double percent = 100 * (cpu1 - cpu0) / wall;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"probes={probes} instances={count} settle={settle} seconds={wall:0.0} cpu_seconds={cpu1 - cpu0:0.000} percent_of_one_core={percent:0.00} by_tenths=[{string.Join(' ', slices)}]"));
    return 0;
}

// utime + stime of this process (all threads), in seconds.
static double CpuSeconds()
{
    string stat = File.ReadAllText("/proc/self/stat");
    string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    long ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
    return ticks / 100.0; // USER_HZ is 100 on Linux
}
