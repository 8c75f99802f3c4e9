using System.Globalization;

namespace Drover.Cli.Tests.Support;

/// <summary>
/// The tests' shell children announce the pids of themselves and their children as "pid N" lines, then "ready".
/// These helpers collect those pids so a test can check that none of them survives.
/// </summary>
internal static class ChildProcesses
{
    /// <summary>A Procfile command: a shell that starts <paramref name="sleepers"/> background sleeps, announces them and itself, and waits.</summary>
    public static string ShellWithSleepers(int sleepers = 1, string prelude = "")
    {
        string starts = string.Concat(Enumerable.Repeat("sleep 1000 & echo \"pid $!\"; ", sleepers));
        return $"{prelude}{starts}echo \"pid $$\"; echo ready; wait";
    }

    /// <summary>Waits for <paramref name="instance"/>'s "ready" line and captures the pids it announced before it.</summary>
    public static async Task<IReadOnlyList<TrackedProcess>> WaitForReadyAsync(this DroverProcess drover, string instance)
    {
        await drover.WaitForOutputAsync(instance, "ready");
        return [.. drover.TextOf(instance)
            .Where(t => t.StartsWith("pid ", StringComparison.Ordinal))
            .Select(t => TrackedProcess.Capture(int.Parse(t["pid ".Length..], CultureInfo.InvariantCulture)))];
    }

    /// <summary>The processes of <paramref name="processes"/> still running, plus any process left in their sessions and groups.</summary>
    public static IReadOnlyList<string> Survivors(IEnumerable<TrackedProcess> processes)
    {
        var list = processes.ToList();
        var survivors = list.Where(p => p.IsRunning).Select(p => $"pid {p.Pid}").ToList();
        foreach (var p in list)
        {
            // Each shell leads its own session and group: nothing may be left in either.
            // (Only processes started after it: an unrelated process may have been given a recycled pid as its id.)
            survivors.AddRange(ProcessTable.RunningInSession(p.Pid).Where(s => s.StartTime >= p.StartTime).Select(s => $"pid {s.Pid} in session {p.Pid}"));
            survivors.AddRange(ProcessTable.RunningInGroup(p.Pid).Where(s => s.StartTime >= p.StartTime).Select(s => $"pid {s.Pid} in group {p.Pid}"));
        }
        return [.. survivors.Distinct()];
    }

    /// <summary>Waits until none of <paramref name="processes"/> survives (see <see cref="Survivors"/>); fails naming them.</summary>
    public static Task NoneSurviveAsync(IReadOnlyList<TrackedProcess> processes) =>
        Eventually.HoldsAsync(
            () => Survivors(processes).Count == 0,
            DroverProcess.Patience,
            () => $"survivors: {string.Join(", ", Survivors(processes))}");
}
