using System.Globalization;
using Drover.Core.Formation;
using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Probes;

/// <summary>
/// Probe vs exit vs stop, repeated: per round, two instances with a fast exec liveness probe that fails half the
/// time (so liveness restarts happen) and a TCP readiness probe exit on their own at a random moment, while a stop request arrives at another random moment (and, every
/// other round, a shutdown). Counted: how each round ended, supervisor faults (an illegal move throws on the
/// loop), rounds whose stop never completed, and processes left behind.
/// </summary>
internal static class Races
{
    public static async Task<int> RunAsync(int rounds)
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        int faults = 0, hung = 0, leftovers = 0, notStopped = 0;
        var random = new Random(16);
        for (int round = 0; round < rounds; round++)
        {
            string marker = $"drover-race-{Environment.ProcessId}-{round}";
            int exitAfterMs = random.Next(0, 60);
            int stopAfterMs = random.Next(0, 60);
            var liveness = new ProbeSpec(new ProbeCheck.Exec("exit $(( $(date +%N) % 2 ))", null)) { Period = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMilliseconds(200), FailureThreshold = 1 };
            var readiness = new ProbeSpec(new ProbeCheck.Tcp("127.0.0.1", null)) { Period = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMilliseconds(200) };
            var settings = new TypeSettings("r") { Liveness = liveness, Readiness = readiness };
            string command = $"exec sh -c 'sleep 0.0{exitAfterMs:00}; exit 1' {marker}";
            try
            {
                await using var formation = new Formation([("r", 2, command, settings)]);
                await Task.Delay(stopAfterMs);
                var stop = round % 2 == 0
                    ? formation.Supervisor.StopInstanceAsync(new InstanceName("r", 1))
                    : Task.CompletedTask;
                if (round % 2 == 1)
                {
                    formation.Supervisor.RequestShutdown();
                }
                try
                {
                    await stop.WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (TimeoutException)
                {
                    hung++;
                }
                catch (ControlException)
                {
                    // The formation ended first (both instances exited for good): a legal outcome.
                }
                var snapshot = await formation.Supervisor.SnapshotAsync();
                // A completed stop leaves the instance stopped, whatever it was doing when asked.
                if (round % 2 == 0 && stop.IsCompletedSuccessfully && snapshot.Single(s => s.Name == "r.1").State != InstanceState.Stopped)
                {
                    notStopped++;
                }
                var end = snapshot.Select(s => s.State.ToString()).ToList();
                string key = string.Join("+", end);
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }
            catch (ControlException)
            {
                outcomes["formation over"] = outcomes.GetValueOrDefault("formation over") + 1;
            }
            catch (Exception e) when (e is InvalidOperationException or AggregateException)
            {
                faults++;
                Console.Error.WriteLine($"round {round}: {e.Message}");
            }
            leftovers += CountProcesses(marker);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds={rounds} faults={faults} hung_stops={hung} not_stopped_after_stop={notStopped} leftover_processes={leftovers}"));
        foreach (var (key, n) in outcomes.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine($"  {n,5}  {key}");
        }
        return faults + hung + notStopped + leftovers == 0 ? 0 : 1;
    }

    /// <summary>Processes whose command line carries <paramref name="marker"/>.</summary>
    private static int CountProcesses(string marker)
    {
        int n = 0;
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    n++;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return n;
    }
}
