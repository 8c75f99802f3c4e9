using System.Diagnostics;
using Drover.Bench.Tools;

namespace Drover.Bench.Measures;

/// <summary>
/// Log throughput and integrity: four generators each write 500,000 lines of 55 bytes in 4 KiB writes; the harness
/// reads the manager's stdout through a pipe and checks every line. Lines/s = 2,000,000 / (time from launch to the
/// arrival of the last payload byte). The generators stay up after writing (like services), so no manager's
/// exit or restart rule interferes.
/// </summary>
internal static class Throughput
{
    public const int TotalLines = Fixtures.LinesPerProcess * Fixtures.Producers;

    private static string Wchans(int pid)
    {
        try
        {
            return string.Join(',', Directory.GetDirectories($"/proc/{pid}/task")
                .Select(t => File.ReadAllText(Path.Combine(t, "wchan")))
                .GroupBy(w => w).Select(g => $"{g.Key}x{g.Count()}"));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static void RunOnce(Tool tool, Fixtures fixtures, ResultSet results, double busy)
    {
        string doneDir = Path.Combine(fixtures.Dir, $"done-{Guid.NewGuid():N}");
        Directory.CreateDirectory(doneDir);
        var types = Enumerable.Range(1, Fixtures.Producers)
            .Select(p => new ProcType($"p{p}", ["perl", fixtures.Generator, fixtures.Data(p), Path.Combine(doneDir, $"p{p}")], 1))
            .ToList();
        var checker = new LineChecker();
        long lastPayload = 0;
        long lastData = Stopwatch.GetTimestamp();
        using var complete = new ManualResetEventSlim();
        void Reader(Stream stdout)
        {
            var buffer = new byte[1 << 20];
            try
            {
                int n;
                while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0)
                {
                    long now = Stopwatch.GetTimestamp();
                    Volatile.Write(ref lastData, now);
                    var span = buffer.AsSpan(0, n);
                    if (span.IndexOf((byte)'#') >= 0)
                    {
                        Volatile.Write(ref lastPayload, now);
                    }
                    lock (checker)
                    {
                        checker.Feed(span);
                        if (checker.Intact == TotalLines)
                        {
                            complete.Set();
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
            lock (checker)
            {
                checker.Finish();
            }
            complete.Set();
        }

        long peakKiB = 0;
        string state;
        using (var run = ManagedRun.Start(tool, new Workload("lines", types), Reader))
        {
            var deadline = TimeSpan.FromSeconds(120);
            while (true)
            {
                peakKiB = Math.Max(peakKiB, ProcScanner.ReadRssKiB(run.Pid, peak: true));
                if (complete.Wait(50))
                {
                    // Set when every line arrived intact, or when the output ended (the manager died) before that.
                    lock (checker)
                    {
                        state = checker.Intact == TotalLines ? "complete" : "output ended early";
                    }
                    break;
                }
                bool allDone = Directory.GetFiles(doneDir).Length == Fixtures.Producers;
                if (allDone && Stopwatch.GetElapsedTime(Volatile.Read(ref lastData)) > TimeSpan.FromSeconds(1))
                {
                    state = "incomplete";
                    break;
                }
                if (run.Elapsed > deadline.TotalSeconds)
                {
                    state = "timeout";
                    break;
                }
            }
            if (state == "timeout")
            {
                // Where each thread of each process waits in the kernel (wchan), to tell a stalled manager from a
                // reader that stopped reading.
                var procs = run.Scanner.Scan().Where(p => p.Alive).Select(p => $"{p.Pid}:{p.Comm}:{p.State}[{Wchans(p.Pid)}]");
                long bytes;
                lock (checker)
                {
                    bytes = checker.Bytes;
                }
                Log.Line($"  {tool.Display,-14} lines: timeout after {bytes:N0} bytes of output; processes {string.Join(' ', procs)}; stderr: {run.StderrTail}");
            }
            double seconds = lastPayload == 0 ? double.NaN : Stopwatch.GetElapsedTime(run.StartTimestamp, Volatile.Read(ref lastPayload)).TotalSeconds;
            lock (checker)
            {
                // "incomplete": every generator finished and the output went quiet, but some lines were damaged;
                // the rate still counts all 2,000,000 lines, as they all went through, damaged or not.
                bool ok = state is "complete" or "incomplete" && lastPayload != 0;
                results.Get("lines-per-s", tool.Id).Samples.Add(new Sample(ok ? TotalLines / seconds : null, ok ? null : state, busy));
                // Integrity counts only mean something for a repetition that ran to the end.
                Sample Count(long n) => ok ? new Sample(n, null, busy) : new Sample(null, state, busy);
                results.Get("lines-intact", tool.Id).Samples.Add(Count(checker.Intact));
                results.Get("lines-glued", tool.Id).Samples.Add(Count(checker.Glued));
                results.Get("lines-split", tool.Id).Samples.Add(Count(checker.Split));
                results.Get("lines-disordered", tool.Id).Samples.Add(Count(checker.OutOfOrder));
                results.Get("lines-peak-rss", tool.Id).Samples.Add(new Sample(peakKiB / 1024.0, null, busy));
                Log.Line($"  {tool.Display,-14} lines: {state}, {(ok ? TotalLines / seconds / 1e6 : 0):0.000}M lines/s in {seconds:0.000} s, " +
                         $"intact {checker.Intact:N0}, glued {checker.Glued}, split {checker.Split}, disordered {checker.OutOfOrder}, " +
                         $"peak RSS {peakKiB / 1024.0:0.0} MiB (busy {busy:P0})");
                foreach (var e in checker.Examples.Take(2))
                {
                    Log.Line($"    e.g. {e}");
                }
            }
        }
        Directory.Delete(doneDir, recursive: true);
    }
}
