namespace Drover.Core.Probes;

/// <summary>The outcome of one check of a probe.</summary>
/// <param name="Passed">True when the check passed.</param>
/// <param name="Detail">What was seen, for people (e.g. "connection refused", "status 503", "exit code 1").</param>
public readonly record struct ProbeResult(bool Passed, string Detail)
{
    /// <summary>A passed check.</summary>
    public static ProbeResult Pass(string detail = "ok") => new(true, detail);

    /// <summary>A failed check.</summary>
    public static ProbeResult Fail(string detail) => new(false, detail);
}

/// <summary>Which probe of an instance a result belongs to.</summary>
public enum ProbeKind
{
    /// <summary>The readiness probe: ready/unready, gates dependents and rolling restarts.</summary>
    Readiness,

    /// <summary>The liveness probe: healthy/unhealthy, restarts the instance after its failure threshold.</summary>
    Liveness,
}
