using Drover.Core.Control;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using Drover.Core.Procfile;
using Drover.Core.Settings;
using Drover.Core.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Support;

/// <summary>
/// A <see cref="FormationController"/> over a supervisor of fake processes, fake time and a fake readiness probe,
/// built from Procfile text and a <c>-m</c> formation as <c>drover start</c> would.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private string _procfile;
    private Task<int>? _run;

    public ControllerHarness(string procfile, string? formation = null, TimeSpan? readinessTimeout = null, SettingsDocument? settings = null, SupervisorOptions? options = null)
    {
        _procfile = procfile;
        var plan = Plan(procfile, formation, settings).Value;
        var instances = plan.Factory.CreateAll(plan.Formation);
        Output = new OutputCapture(Drover.Core.Output.NameWidth.Of(instances.Select(i => i.Name.ToString())));
        Supervisor = new Supervisor(instances, Launcher, Output.Hub, options ?? SupervisorOptions.Default, Time);
        Controller = new FormationController(
            Supervisor, plan, () => Plan(_procfile, formation, settings), readinessTimeout ?? TimeSpan.FromSeconds(30), null, Time, Probe);
    }

    public FakeTimeProvider Time { get; } = TestClock.Create();

    public FakeLauncher Launcher { get; } = new();

    public FakeReadinessProbe Probe { get; } = new();

    public OutputCapture Output { get; }

    public Supervisor Supervisor { get; }

    public FormationController Controller { get; }

    /// <summary>The next reload reads <paramref name="procfile"/>.</summary>
    public void Rewrite(string procfile) => _procfile = procfile;

    /// <summary>Runs the supervisor and waits until <paramref name="count"/> processes have been started.</summary>
    public async Task RunAndWaitForStarts(int count)
    {
        _run = Task.Run(() => Supervisor.RunAsync());
        await Poll.Until(() => Launcher.Started.Count >= count, $"{count} processes started");
    }

    /// <summary>Makes every process that is asked to stop exit, as a well-behaved one does, until disposed.</summary>
    public IDisposable ObeyStops()
    {
        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var p in Launcher.Started.Where(p => p.Received(Signals.Term) && !p.Exited.IsCompleted))
                {
                    p.Exit(ExitStatus.Killed(Signals.Term));
                }
                await Task.Delay(1);
            }
        });
        return stop;
    }

    public async Task<IReadOnlyList<InstanceSnapshot>> Ps() => await Controller.PsAsync();

    private static Result<FormationPlan> Plan(string procfile, string? formation, SettingsDocument? settings)
    {
        var doc = ProcfileParser.Parse(procfile, "Procfile");
        if (!doc.Ok)
        {
            return Result<FormationPlan>.Failure(doc.Errors);
        }
        var f = FormationSpec.Parse(formation).Value.Resolve(doc.Value, []).Value;
        var factory = new InstanceFactory(doc.Value, new PortPlan(5000), new Dictionary<string, string>(), "/app", SupervisorOptions.Default.Backoff, settings);
        return Result<FormationPlan>.Success(new FormationPlan(factory, f));
    }

    public async ValueTask DisposeAsync()
    {
        Controller.Dispose();
        if (_run is { IsCompleted: false })
        {
            Supervisor.RequestShutdown(ShutdownMode.KillNow);
            foreach (var process in Launcher.Started)
            {
                process.Vanish();
            }
        }
        await Output.DisposeAsync();
    }
}
