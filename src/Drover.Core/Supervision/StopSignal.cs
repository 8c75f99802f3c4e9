namespace Drover.Core.Supervision;

/// <summary>
/// The signals a process may be asked to stop with (a type's <c>shutdown.signal</c>). A typed choice, so Core
/// never sends signal numbers itself: the launcher's process maps it (<see cref="IRunningProcess.Signal"/>).
/// </summary>
public enum StopSignal
{
    /// <summary>SIGTERM, the default.</summary>
    Terminate,

    /// <summary>SIGINT, what Ctrl-C sends.</summary>
    Interrupt,

    /// <summary>SIGHUP.</summary>
    Hangup,

    /// <summary>SIGQUIT.</summary>
    Quit,

    /// <summary>SIGUSR1.</summary>
    User1,

    /// <summary>SIGUSR2.</summary>
    User2,

    /// <summary>SIGKILL: cannot be caught.</summary>
    Kill,
}

/// <summary>Between <see cref="StopSignal"/> and the numbers a settings file writes (process-compose's <c>signal: 15</c>).</summary>
public static class StopSignals
{
    /// <summary>The Linux number of <paramref name="signal"/>.</summary>
    public static int Number(StopSignal signal) => signal switch
    {
        StopSignal.Interrupt => Signals.Interrupt,
        StopSignal.Hangup => Signals.Hangup,
        StopSignal.Quit => Signals.Quit,
        StopSignal.User1 => Signals.Usr1,
        StopSignal.User2 => Signals.Usr2,
        StopSignal.Kill => Signals.Kill,
        _ => Signals.Term,
    };

    /// <summary>The signal numbered <paramref name="number"/>, when it is one a process may be stopped with.</summary>
    public static bool TryFromNumber(int number, out StopSignal signal)
    {
        foreach (var s in Enum.GetValues<StopSignal>())
        {
            if (Number(s) == number)
            {
                signal = s;
                return true;
            }
        }
        signal = StopSignal.Terminate;
        return false;
    }

    /// <summary>"SIGTERM" for <see cref="StopSignal.Terminate"/>.</summary>
    public static string Name(StopSignal signal) => Signals.Name(Number(signal));
}
