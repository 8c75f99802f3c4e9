using System.Diagnostics;
using Drover.Bench.Tools;

namespace Drover.Bench.Measures;

/// <summary>
/// Start-up of a short command: <c>drover check</c> (and <c>foreman check</c>) on a three-line Procfile, from
/// process start to exit. Issue 5 aims for under 20 ms with the AOT build.
/// </summary>
internal static class CheckStartup
{
    public static bool Applies(Tool tool) => tool is DroverTool or Foreman;

    public static void RunOnce(Tool tool, ResultSet results, double busy)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"drover-bench-check-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string procfile = Path.Combine(dir, "Procfile");
            File.WriteAllText(procfile, "web: python -m http.server $PORT\nworker: sleep 3600\nclock: sleep 60\n");
            var psi = new ProcessStartInfo(tool is DroverTool d ? d.Binary : "foreman")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "check", "-f", procfile })
            {
                psi.ArgumentList.Add(a);
            }
            long t0 = Stopwatch.GetTimestamp();
            using var p = Process.Start(psi)!;
            // Output is tiny: read it after the exit so the timing is the process's alone.
            bool exited = p.WaitForExit(10_000);
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (!exited)
            {
                p.Kill();
            }
            p.StandardOutput.ReadToEnd();
            results.Get("check", tool.Id).Samples.Add(exited && p.ExitCode == 0
                ? new Sample(seconds, null, busy)
                : new Sample(null, exited ? $"exit {p.ExitCode}" : "timeout", busy));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
