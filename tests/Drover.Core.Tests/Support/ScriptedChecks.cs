using Drover.Core.Probes;
using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Support;

/// <summary>
/// Probe checks whose results the test decides, per instance (by <see cref="ProcessSpec.Name"/>): each check
/// answers the instance's current answer and is counted. Give <see cref="Create"/> to
/// <see cref="SupervisorOptions.ProbeChecks"/>.
/// </summary>
internal sealed class ScriptedChecks
{
    private readonly object _gate = new();
    private readonly Dictionary<string, bool> _answers = [];
    private readonly Dictionary<string, int> _checks = [];

    /// <summary>What the checks of <paramref name="name"/> answer from now on (false until set).</summary>
    public void Answer(string name, bool passed)
    {
        lock (_gate)
        {
            _answers[name] = passed;
        }
    }

    /// <summary>How many checks of <paramref name="name"/> have run.</summary>
    public int Checks(string name)
    {
        lock (_gate)
        {
            return _checks.GetValueOrDefault(name);
        }
    }

    public IProbeCheck Create(ProbeCheck check, ProcessSpec spec) => new Check(this, spec.Name);

    private sealed class Check(ScriptedChecks owner, string name) : IProbeCheck
    {
        public Task<ProbeResult> CheckAsync(CancellationToken cancel)
        {
            lock (owner._gate)
            {
                owner._checks[name] = owner._checks.GetValueOrDefault(name) + 1;
                return Task.FromResult(owner._answers.GetValueOrDefault(name)
                    ? ProbeResult.Pass()
                    : ProbeResult.Fail("connection refused"));
            }
        }
    }
}
