namespace Drover.Posix.Tests;

/// <summary>Reads /proc/PID/stat: what the kernel says about a process, not what the process says about itself.</summary>
internal static class ProcStat
{
    /// <summary>State letter, process group and session of <paramref name="pid"/>; null when it no longer exists.</summary>
    public static (char State, int Pgrp, int Session)? Read(int pid) =>
        Fields(pid) is { } f ? (f[0][0], int.Parse(f[2]), int.Parse(f[3])) : null;

    /// <summary>
    /// The exit status of zombie <paramref name="pid"/> as a wait status (field 52 of stat); null while it runs or
    /// once it is gone.
    /// </summary>
    public static int? ZombieExitStatus(int pid) =>
        Fields(pid) is { } f && f[0][0] == 'Z' ? int.Parse(f[49]) : null;

    /// <summary>The parent of <paramref name="pid"/>; null when it no longer exists.</summary>
    public static int? Parent(int pid) => Fields(pid) is { } f ? int.Parse(f[1]) : null;

    /// <summary>True when the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => Read(pid) is { State: not 'Z' and not 'X' };

    /// <summary>The fields after the command name, from the state on; null once the process is gone.</summary>
    private static string[]? Fields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name is in parentheses and may contain spaces: parse after the last ')'.
        return text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }
}
