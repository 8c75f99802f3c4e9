namespace Drover.Core.Supervision;

/// <summary>Linux signal numbers Drover sends or reports, and their names for messages.</summary>
public static class Signals
{
    /// <summary>Hangup.</summary>
    public const int Hangup = 1;
    /// <summary>Interrupt (Ctrl-C).</summary>
    public const int Interrupt = 2;
    /// <summary>Quit.</summary>
    public const int Quit = 3;
    /// <summary>Kill: cannot be caught.</summary>
    public const int Kill = 9;
    /// <summary>User-defined 1.</summary>
    public const int Usr1 = 10;
    /// <summary>User-defined 2.</summary>
    public const int Usr2 = 12;
    /// <summary>Broken pipe.</summary>
    public const int Pipe = 13;
    /// <summary>Terminate: the polite request to stop.</summary>
    public const int Term = 15;

    private static readonly string[] Names =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGTERM" for 15; "signal 40" for numbers without a classic name.</summary>
    public static string Name(int signal) =>
        signal > 0 && signal < Names.Length ? Names[signal] : $"signal {signal}";
}
