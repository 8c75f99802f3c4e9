namespace Drover.Core.Supervision;

/// <summary>When a process that exited is started again.</summary>
public enum RestartPolicy
{
    /// <summary>Restart after a non-zero exit or death by signal; exit code 0 means finished. Drover's default.</summary>
    OnFailure,

    /// <summary>Restart after any exit.</summary>
    Always,

    /// <summary>Never restart.</summary>
    Never,
}
