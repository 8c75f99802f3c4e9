namespace Drover.Bench;

/// <summary>One process type of a workload: a name, the command as argv (plain words, no quoting needed) and a count.</summary>
internal sealed record ProcType(string Name, IReadOnlyList<string> Argv, int Count)
{
    /// <summary>The command as one line for a Procfile or a supervisord <c>command=</c>.</summary>
    public string CommandLine => string.Join(' ', Argv);
}

/// <summary>What a manager is asked to run in one measurement.</summary>
/// <param name="Name">For file names and logs.</param>
/// <param name="Types">The process types, in Procfile order.</param>
/// <param name="RestartLoop">For the no-manager baseline: run each command in a shell loop instead of once.</param>
internal sealed record Workload(string Name, IReadOnlyList<ProcType> Types, bool RestartLoop = false)
{
    public static Workload Sleeps(int n) => new($"sleep{n}", [new ProcType("s", ["sleep", "3600"], n)]);
}

/// <summary>How to launch a manager: the program, its arguments and extra environment.</summary>
internal sealed record LaunchSpec(string FileName, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string>? Env = null);
