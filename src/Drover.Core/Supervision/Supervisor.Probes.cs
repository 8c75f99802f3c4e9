using System.Text.RegularExpressions;
using Drover.Core.Output;
using Drover.Core.Probes;
using Drover.Core.Settings;
using Drover.Core.Supervision.Events;

namespace Drover.Core.Supervision;

/// <summary>Readiness and liveness: the probes of each running process, the ready log line, liveness restarts.</summary>
public sealed partial class Supervisor
{
    // Owned by the event loop: each type's ready_log_line, compiled once (null: it does not compile).
    private readonly Dictionary<string, Regex?> _readyLines = new(StringComparer.Ordinal);

    /// <summary>The sink for a new process's output: the framer, watched for the ready log line when its type has one.</summary>
    private IOutputSink OutputFor(Instance instance)
    {
        IOutputSink framer = new LineFramer(_output, instance.Output);
        if (instance.Settings.ReadyLogLine is not string pattern || ReadyLine(instance, pattern) is not Regex regex)
        {
            return framer;
        }
        // The generation this process will have once started (Started bumps it).
        int generation = instance.Generation + 1;
        return new ReadyLineWatch(framer, regex, line => Post(new SupervisorEvent.ReadyLineSeen(instance, generation, line)));
    }

    private Regex? ReadyLine(Instance instance, string pattern)
    {
        if (!_readyLines.TryGetValue(pattern, out var regex))
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                Notify($"{instance.Name.Type}: its ready_log_line is not a valid regular expression ({e.Message}); it never becomes ready");
            }
            _readyLines[pattern] = regex;
        }
        return regex;
    }

    /// <summary>Starts the probes of <paramref name="instance"/>'s new process.</summary>
    private void StartProbes(Instance instance)
    {
        StartProbe(instance, ProbeKind.Readiness, instance.Settings.Readiness);
        StartProbe(instance, ProbeKind.Liveness, instance.Settings.Liveness);
    }

    private void StartProbe(Instance instance, ProbeKind kind, ProbeSpec? spec)
    {
        if (spec is null)
        {
            return;
        }
        IProbeCheck check;
        try
        {
            check = _options.ProbeChecks is { } make ? make(spec.Check, instance.Spec) : ProbeChecks.Create(spec.Check, instance.Spec, _launcher);
        }
        catch (ArgumentException e)
        {
            Notify($"{instance.Name}: its {kind.ToString().ToLowerInvariant()} probe cannot run: {e.Message}");
            return;
        }
        int generation = instance.Generation;
        instance.Probes.Add(ProbeSchedule.Start(spec, check, _time,
            result => Post(new SupervisorEvent.ProbeChecked(instance, generation, kind, result))));
    }

    private void OnProbeChecked(SupervisorEvent.ProbeChecked e)
    {
        var instance = e.Instance;
        if (instance.Generation != e.Generation || instance.State != InstanceState.Running)
        {
            return; // A check of an earlier process, or one that ended while it ran.
        }
        var counter = e.Kind == ProbeKind.Readiness ? instance.ReadinessCounter : instance.LivenessCounter;
        if (counter is null)
        {
            return;
        }
        bool wasReady = instance.Ready;
        if (!counter.Record(e.Result.Passed))
        {
            return;
        }
        if (e.Kind == ProbeKind.Readiness)
        {
            if (instance.Ready != wasReady || counter.Passing == false)
            {
                if (!instance.Ready)
                {
                    instance.Note = $"readiness probe failed {counter.Failures} times: {e.Result.Detail}";
                }
                Changed(instance, InstanceState.Running, instance.Ready ? ChangeReason.Ready : ChangeReason.Unready);
            }
            return;
        }
        if (counter.Passing == true)
        {
            Changed(instance, InstanceState.Running, ChangeReason.Healthy);
            return;
        }
        // Failed failure_threshold times: stopped gracefully, then started again (OnExited).
        instance.Note = $"liveness probe failed {counter.Failures} times: {e.Result.Detail}";
        instance.RestartWhenStopped = true;
        StopGracefully(instance, ChangeReason.LivenessFailed);
    }

    private void OnReadyLineSeen(SupervisorEvent.ReadyLineSeen e)
    {
        var instance = e.Instance;
        if (instance.Generation != e.Generation || instance.State != InstanceState.Running || instance.LogReady)
        {
            return;
        }
        bool wasReady = instance.Ready;
        instance.LogReady = true;
        if (instance.Ready != wasReady)
        {
            Changed(instance, InstanceState.Running, ChangeReason.Ready);
        }
    }
}
