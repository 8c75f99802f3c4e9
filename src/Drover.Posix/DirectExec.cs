using Drover.Core.Supervision;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// What a shell would exec for a command without shell syntax (<see cref="SimpleCommand"/>): the program found
/// the way <c>sh</c> finds it, and the environment <c>sh</c> would pass on. Null means "let the shell do it",
/// which also gives the shell's own messages and exit codes for a program that is missing or not runnable.
/// </summary>
internal static class DirectExec
{
    // A formation starts many instances of the same command at once: a lookup is reused for a moment, never
    // longer, so a program installed or removed later is found the way the shell would find it.
    private const long LookupLifetimeMs = 1000;
    private static readonly Dictionary<(string Word, string Path, string Dir), (string? Found, long Expires)> Lookups = [];

    /// <summary>The program's path, argv and environment, or null to run the command with <c>/bin/sh -c</c>.</summary>
    public static (string Path, string[] Argv, List<string> Env)? Plan(ProcessSpec spec)
    {
        string[]? words = SimpleCommand.TrySplit(spec.Command);
        if (words is null)
        {
            return null;
        }
        string? path = Find(words[0], spec.Environment, spec.WorkingDirectory);
        if (path is null)
        {
            return null;
        }
        return (path, words, EnvironmentOf(spec));
    }

    /// <summary>
    /// The file <paramref name="word"/> names: as is when it has a slash (relative to the working directory),
    /// else the first executable regular file in the process's own <c>PATH</c> (an empty entry is the working
    /// directory). Null when there is no PATH or nothing is found.
    /// </summary>
    private static string? Find(string word, IReadOnlyDictionary<string, string> env, string workingDirectory)
    {
        if (word.Contains('/'))
        {
            return word;
        }
        if (!env.TryGetValue("PATH", out string? searchPath))
        {
            return null; // the shell has its own default PATH
        }
        var key = (word, searchPath, workingDirectory);
        long now = Environment.TickCount64;
        lock (Lookups)
        {
            if (Lookups.TryGetValue(key, out var known) && known.Expires > now)
            {
                return known.Found;
            }
        }
        string? found = Search(word, searchPath, workingDirectory);
        lock (Lookups)
        {
            if (Lookups.Count > 256)
            {
                Lookups.Clear();
            }
            Lookups[key] = (found, now + LookupLifetimeMs);
        }
        return found;
    }

    private static string? Search(string word, string searchPath, string workingDirectory)
    {
        foreach (string dir in searchPath.Split(':'))
        {
            string candidate = Path.Combine(workingDirectory, dir.Length == 0 ? "." : dir, word);
            if (Libc.access(candidate, Libc.X_OK) == 0 && !Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// The process's environment plus <c>PWD</c>, which <c>sh</c> always exports: kept when it already names the
    /// working directory, else the working directory's physical path (what the shell's getcwd() gives).
    /// </summary>
    private static List<string> EnvironmentOf(ProcessSpec spec)
    {
        var env = new List<string>(spec.Environment.Count + 1);
        bool hasPwd = spec.Environment.TryGetValue("PWD", out string? pwd) && pwd.StartsWith('/');
        // The usual case, Drover started in the app's directory, needs no look at the file system.
        bool keepPwd = hasPwd && pwd == spec.WorkingDirectory;
        string? physical = keepPwd ? null : Libc.RealPath(spec.WorkingDirectory);
        keepPwd = keepPwd || (hasPwd && physical is not null && Libc.RealPath(pwd!) == physical);
        foreach (var (key, value) in spec.Environment)
        {
            if (key != "PWD" || keepPwd)
            {
                env.Add($"{key}={value}");
            }
        }
        if (!keepPwd && physical is not null)
        {
            env.Add($"PWD={physical}");
        }
        return env;
    }
}
