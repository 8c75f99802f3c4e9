namespace Drover.Core.Settings;

/// <summary>How a readiness or liveness probe checks an instance (process-compose's probe keys, plus <c>tcp_socket</c>).</summary>
/// <param name="Check">What is checked.</param>
public sealed record ProbeSpec(ProbeCheck Check)
{
    /// <summary>Wait before the first check (<c>initial_delay_seconds</c>).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Time between checks (<c>period_seconds</c>, default 10 s as in process-compose).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one check may take (<c>timeout_seconds</c>, default 1 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks in a row that must pass to become ready/healthy (<c>success_threshold</c>, default 1).</summary>
    public int SuccessThreshold { get; init; } = 1;

    /// <summary>Checks in a row that must fail to become unready/unhealthy (<c>failure_threshold</c>, default 3).</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>Where it was written, for messages.</summary>
    public SettingsSource? Source { get; init; }
}

/// <summary>The one check a probe makes.</summary>
public abstract record ProbeCheck
{
    private ProbeCheck()
    {
    }

    /// <summary>A TCP connect (<c>tcp_socket</c>) to <paramref name="Host"/>:<paramref name="Port"/>; port null means the instance's PORT.</summary>
    public sealed record Tcp(string Host, int? Port) : ProbeCheck;

    /// <summary>An HTTP GET (<c>http_get</c>); port null means the instance's PORT; passes on <paramref name="ExpectedStatus"/>
    /// (null: any 2xx or 3xx, as in process-compose and Kubernetes).</summary>
    public sealed record Http(string Scheme, string Host, int? Port, string Path, int? ExpectedStatus) : ProbeCheck;

    /// <summary>A command (<c>exec</c>) that passes when it exits 0, run with the instance's environment and directory.</summary>
    public sealed record Exec(string Command, string? WorkingDirectory) : ProbeCheck;
}
