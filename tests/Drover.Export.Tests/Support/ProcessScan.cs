using System.Globalization;
using System.Text;

namespace Drover.Export.Tests.Support;

/// <summary>Finds processes a test started, however deep, through /proc: by an environment marker or by cwd.</summary>
internal static class ProcessScan
{
    /// <summary>Pids whose environment holds <paramref name="marker"/> or whose cwd is under <paramref name="directory"/>.</summary>
    public static List<int> Find(string marker, string directory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                if (IsZombie(dir))
                {
                    continue;
                }
                var environ = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "environ")));
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                if (environ.Contains(marker, StringComparison.Ordinal)
                    || cwd == directory || cwd.StartsWith(directory + "/", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return found;
    }

    public static string Describe(IEnumerable<int> pids) => string.Join("\n", pids.Select(pid =>
    {
        try
        {
            return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}";
        }
        catch (IOException)
        {
            return $"{pid}: (gone)";
        }
    }));

    public static void KillAll(string marker, string directory)
    {
        foreach (int pid in Find(marker, directory))
        {
            Commands.Signal(pid, "KILL");
        }
    }

    private static bool IsZombie(string dir)
    {
        string stat = File.ReadAllText(Path.Combine(dir, "stat"));
        int close = stat.LastIndexOf(')');
        return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
    }
}
