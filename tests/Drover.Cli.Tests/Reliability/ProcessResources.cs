using System.Globalization;
using System.Text.RegularExpressions;

namespace Drover.Cli.Tests.Reliability;

/// <summary>
/// What a process holds, as the kernel tells it: its open file descriptors (<c>/proc/PID/fd</c>) and its threads
/// (<c>Threads:</c> in <c>/proc/PID/status</c>, and their names from <c>/proc/PID/task/*/comm</c>).
/// </summary>
/// <param name="Descriptors">Each open descriptor's number and target (<c>pipe:[123]</c>, <c>/dev/null</c>, ...).</param>
/// <param name="Threads">The number of threads.</param>
/// <param name="ThreadNames">The threads' names, for messages.</param>
internal sealed partial record ProcessResources(IReadOnlyDictionary<int, string> Descriptors, int Threads, IReadOnlyList<string> ThreadNames)
{
    /// <summary>The name the .NET thread pool gives its worker threads.</summary>
    public const string PoolWorkerName = ".NET TP Worker";

    /// <summary>The number of open descriptors.</summary>
    public int OpenDescriptors => Descriptors.Count;

    /// <summary>Open descriptors other than loaded assemblies: the JIT build maps more of them as late code runs
    /// (e.g. the control server starting on a retry), which is bounded and not a leak.</summary>
    public int NonAssemblyDescriptors => Descriptors.Values.Count(t => !t.EndsWith(".dll", StringComparison.Ordinal));

    /// <summary>The threads that are not thread-pool workers: drover's own and the runtime's fixed ones.</summary>
    public int DedicatedThreads => ThreadNames.Count(n => n != PoolWorkerName);

    /// <summary>Reads what <paramref name="pid"/> holds now.</summary>
    public static ProcessResources Of(int pid)
    {
        var descriptors = new SortedDictionary<int, string>();
        foreach (string path in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(path).LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }
            // A descriptor closed between the listing and the read is simply not counted.
            if (target is not null)
            {
                descriptors[int.Parse(Path.GetFileName(path), CultureInfo.InvariantCulture)] = target;
            }
        }
        string status = File.ReadAllText($"/proc/{pid}/status");
        int threads = int.Parse(ThreadsLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
        var names = new List<string>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'));
            }
            catch (IOException)
            {
                // A thread that ended meanwhile.
            }
        }
        return new ProcessResources(descriptors, threads, names);
    }

    /// <summary>Descriptors by kind, without inode numbers, loaded assemblies counted as one kind: <c>3 pipe, 2 socket, ...</c>.</summary>
    public string Kinds() => Summary(Descriptors.Values.Select(t => t.EndsWith(".dll", StringComparison.Ordinal) ? "assembly" : InodeNumber().Replace(t, "")));

    /// <summary>The threads by name: <c>5 .NET TP Worker, 1 drover-output, ...</c>.</summary>
    public string Names() => Summary(ThreadNames);

    /// <summary>For messages: the counts and the kinds.</summary>
    public override string ToString() => $"{OpenDescriptors} open descriptors ({Kinds()}); {Threads} threads ({Names()})";

    private static string Summary(IEnumerable<string> items) => string.Join(", ", items
        .GroupBy(t => t)
        .OrderByDescending(g => g.Count())
        .ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Count()} {g.Key}"));

    [GeneratedRegex(@"^Threads:\s*(\d+)$", RegexOptions.Multiline)]
    private static partial Regex ThreadsLine();

    [GeneratedRegex(@":\[\d+\]$")]
    private static partial Regex InodeNumber();
}
