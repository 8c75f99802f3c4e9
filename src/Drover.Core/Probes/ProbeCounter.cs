using Drover.Core.Settings;

namespace Drover.Core.Probes;

/// <summary>
/// The thresholds of one probe of one process (pure, owned by the supervisor's loop): it passes once
/// <c>success_threshold</c> checks in a row passed, and fails once <c>failure_threshold</c> checks in a row failed
/// (Kubernetes' rule, whose keys process-compose uses; process-compose acts at exactly the failure threshold).
/// Until either, its verdict is unknown (null).
/// </summary>
public sealed class ProbeCounter(ProbeSpec spec)
{
    private int _successes;
    private int _failures;

    /// <summary>The verdict: true passing, false failing, null not decided yet.</summary>
    public bool? Passing { get; private set; }

    /// <summary>Failed checks in a row.</summary>
    public int Failures => _failures;

    /// <summary>Records one check; true when the verdict changed.</summary>
    public bool Record(bool passed)
    {
        var before = Passing;
        if (passed)
        {
            _failures = 0;
            if (++_successes >= Math.Max(1, spec.SuccessThreshold))
            {
                Passing = true;
            }
        }
        else
        {
            _successes = 0;
            if (++_failures >= Math.Max(1, spec.FailureThreshold))
            {
                Passing = false;
            }
        }
        return Passing != before;
    }
}
