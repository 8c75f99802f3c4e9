using System.Globalization;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Finds and stops Drover's children that are not process-group leaders it started: processes that escaped their
/// group and were re-parented to Drover (a subreaper) when their parent died. The watchdog is left alone.
/// </summary>
internal static class StrayProcesses
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>This process's children (every thread's), except <paramref name="except"/>.</summary>
    public static List<int> Find(ISet<int> except)
    {
        var strays = new List<int>();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue; // The thread ended while we looked.
            }
            foreach (string pid in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int p = int.Parse(pid, CultureInfo.InvariantCulture);
                if (!except.Contains(p))
                {
                    strays.Add(p);
                }
            }
        }
        return strays;
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>; completes when none of them is left.</summary>
    public static async Task StopAsync(Func<List<int>> find, TimeSpan timeout, Action<string> report)
    {
        var strays = find();
        if (strays.Count == 0)
        {
            return;
        }
        report($"stopping {strays.Count} process(es) that left their process group: {Describe(strays)}");
        Send(strays, Core.Supervision.Signals.Term);
        var deadline = DateTime.UtcNow + timeout;
        while ((strays = find()).Count > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                report($"stop timeout reached: sending SIGKILL to {Describe(strays)}");
                Send(strays, Core.Supervision.Signals.Kill);
                deadline = DateTime.MaxValue;
            }
            // Rare path (only daemonizing commands get here): a short poll is simpler than plumbing SIGCHLD.
            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }

    private static void Send(List<int> pids, int signal)
    {
        foreach (int pid in pids)
        {
            // A stray that called setsid leads its own group: its children go too.
            _ = Libc.kill(-pid, signal);
            _ = Libc.kill(pid, signal);
        }
    }

    private static string Describe(List<int> pids) => string.Join(", ", pids.Select(pid =>
    {
        string name = File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "?";
        return $"{name} (pid {pid})";
    }));
}
