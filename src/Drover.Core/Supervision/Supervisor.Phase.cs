using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>The formation's phase: one field, moved only through the table of legal moves below.</summary>
public sealed partial class Supervisor
{
    // Every legal move of the formation's phase; anything else is a bug and throws.
    private static readonly Dictionary<FormationPhase, FormationPhase[]> PhaseMoves = new()
    {
        [FormationPhase.Running] = [FormationPhase.Terminating, FormationPhase.Killing, FormationPhase.Done],
        [FormationPhase.Terminating] = [FormationPhase.Killing, FormationPhase.ReapingStrays, FormationPhase.Done],
        [FormationPhase.Killing] = [FormationPhase.ReapingStrays, FormationPhase.Done],
        [FormationPhase.ReapingStrays] = [FormationPhase.Done],
        [FormationPhase.Done] = [],
    };

    // Owned by the event loop.
    private FormationPhase _phase = FormationPhase.Running;
    private ITimer? _killTimer;
    private bool _straysGone;

    /// <summary>True from the first shutdown request on: no control request may start or stop anything then.</summary>
    private bool ShuttingDown => _phase != FormationPhase.Running;

    private void MoveTo(FormationPhase next, string reason)
    {
        if (!PhaseMoves[_phase].Contains(next))
        {
            throw new InvalidOperationException($"formation: illegal phase move {_phase} -> {next}");
        }
        var from = _phase;
        _phase = next;
        if (next == FormationPhase.Done)
        {
            _events.Writer.TryComplete();
        }
        Publish(new PhaseChanged(_time.GetUtcNow(), from, next, reason));
    }
}
