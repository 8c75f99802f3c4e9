using System.Globalization;
using Drover.Core.Supervision;

namespace Drover.Posix;

/// <summary>
/// Finds the listener of a TCP port from /proc/net/tcp and /proc/net/tcp6 (the socket's inode), then the process
/// holding that inode from /proc/PID/fd, where this user may look.
/// </summary>
public sealed class ProcfsPortOwners : IPortOwners
{
    private const string Listen = "0A";

    /// <inheritdoc />
    public bool IsListening(int port) => ListeningSockets(port).Any();

    /// <inheritdoc />
    public string DescribeListener(int port)
    {
        var sockets = ListeningSockets(port).ToList();
        if (sockets.Count == 0)
        {
            return "a process that has gone since";
        }
        var inodes = sockets.Select(s => $"socket:[{s.Inode}]").ToHashSet(StringComparer.Ordinal);
        var pids = new SortedSet<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && Holds(dir, inodes))
            {
                pids.Add(pid);
            }
        }
        if (pids.Count == 0)
        {
            return $"a process of uid {sockets[0].Uid} that Drover cannot see (another user's; `sudo ss -ltnp 'sport = :{port}'` shows it)";
        }
        return string.Join(", ", pids.Take(3).Select(pid => $"pid {pid} ({CommandLine(pid)})"));
    }

    private static IEnumerable<(string Inode, string Uid)> ListeningSockets(int port)
    {
        string hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // No IPv6, or no /proc.
            }
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            foreach (string line in lines.Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == Listen && f[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
                {
                    yield return (f[9], f[7]);
                }
            }
        }
    }

    private static bool Holds(string processDir, HashSet<string> inodes)
    {
        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(processDir, "fd")))
            {
                if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's process, or one that exited while we looked.
        }
        return false;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            return text.Length == 0 ? "?" : text.Length > 80 ? text[..77] + "..." : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
