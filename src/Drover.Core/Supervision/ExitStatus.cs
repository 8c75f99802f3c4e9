namespace Drover.Core.Supervision;

/// <summary>How a process ended: an exit code or the signal that killed it.</summary>
public readonly record struct ExitStatus
{
    private ExitStatus(int? code, int? signal)
    {
        Code = code;
        Signal = signal;
    }

    /// <summary>The exit code, when the process exited normally.</summary>
    public int? Code { get; }

    /// <summary>The signal number, when a signal killed the process.</summary>
    public int? Signal { get; }

    /// <summary>True for exit code 0.</summary>
    public bool Success => Code == 0;

    /// <summary>The shell convention for a process's result: the code, or 128 + signal.</summary>
    public int ShellCode => Code ?? 128 + Signal!.Value;

    /// <summary>A normal exit with <paramref name="code"/>.</summary>
    public static ExitStatus Exited(int code) => new(code, null);

    /// <summary>Death by <paramref name="signal"/>.</summary>
    public static ExitStatus Killed(int signal) => new(null, signal);

    /// <summary>"exited with code 1" or "killed by SIGTERM".</summary>
    public override string ToString() => Code is int c
        ? $"exited with code {c}"
        : $"killed by {Signals.Name(Signal!.Value)}";
}
