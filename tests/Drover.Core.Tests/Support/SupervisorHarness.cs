using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Settings;
using Drover.Core.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Drover.Core.Tests.Support;

/// <summary>
/// A supervisor over fake processes and fake time, writing its output through a real hub into a collecting
/// stream (no colors, no timestamps). Its loop runs on the thread pool; the test drives the fakes and waits for
/// the effects with <see cref="Poll"/>.
/// </summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    private Task<int>? _run;

    /// <param name="options">Supervisor options; default <see cref="SupervisorOptions.Default"/>.</param>
    /// <param name="names">Instance names such as <c>web.1</c>, in formation order; each type gets its own color.</param>
    public SupervisorHarness(SupervisorOptions? options, params string[] names)
        : this(options, (Func<string, Core.Settings.TypeSettings>?)null, names)
    {
    }

    /// <param name="options">Supervisor options; default <see cref="SupervisorOptions.Default"/>.</param>
    /// <param name="settings">The per-type settings each instance gets.</param>
    /// <param name="names">Instance names such as <c>web.1</c>, in formation order.</param>
    public SupervisorHarness(SupervisorOptions? options, SettingsDocument settings, params string[] names)
        : this(options, settings.For, names)
    {
    }

    /// <param name="options">Supervisor options; default <see cref="SupervisorOptions.Default"/>.</param>
    /// <param name="settings">Each type's settings (as from a settings file); null for the defaults.</param>
    /// <param name="names">Instance names such as <c>web.1</c>, in formation order.</param>
    public SupervisorHarness(SupervisorOptions? options, Func<string, Core.Settings.TypeSettings>? settings, params string[] names)
    {
        Options = options ?? SupervisorOptions.Default;
        var types = names.Select(n => n[..n.LastIndexOf('.')]).Distinct().ToList();
        Instances = [.. names.Select(n =>
        {
            Assert.True(InstanceName.TryParse(n, out var name));
            var spec = new ProcessSpec(n, $"run {name.Type}", "/app", new Dictionary<string, string> { ["PS"] = n });
            return new Instance(name, spec, new OutputSource(n, types.IndexOf(name.Type)), Options.Backoff)
            {
                Settings = settings?.Invoke(name.Type) ?? Core.Settings.TypeSettings.Default(name.Type),
            };
        })];
        Output = new OutputCapture(NameWidth.Of(Instances.Select(i => i.Name.ToString())));
        Supervisor = new Supervisor(Instances, Launcher, Output.Hub, Options, Time);
    }

    public SupervisorOptions Options { get; }

    public FakeTimeProvider Time { get; } = TestClock.Create();

    public FakeLauncher Launcher { get; } = new();

    public OutputCapture Output { get; }

    public IReadOnlyList<Instance> Instances { get; }

    public Supervisor Supervisor { get; }

    /// <summary>The task of <see cref="Supervisor.RunAsync"/>, once <see cref="Run"/> was called.</summary>
    public Task<int> Running => _run ?? throw new InvalidOperationException("not started");

    public Instance this[string name] => Instances.Single(i => i.Name.ToString() == name);

    /// <summary>Starts the supervisor's loop on the thread pool.</summary>
    public void Run() => _run = Task.Run(() => Supervisor.RunAsync());

    /// <summary>Runs the supervisor and waits until <paramref name="count"/> processes have been started.</summary>
    public async Task RunAndWaitForStarts(int? count = null)
    {
        Run();
        await Started(count ?? Instances.Count);
    }

    /// <summary>Waits until <paramref name="count"/> processes in all have been started.</summary>
    public Task Started(int count) => Poll.Until(() => Launcher.Started.Count >= count, $"{count} processes started");

    /// <summary>Waits until <paramref name="count"/> processes of <paramref name="name"/> have been started.</summary>
    public Task Started(string name, int count) =>
        Poll.Until(() => Launcher.StartsOf(name).Count >= count, $"{name} started {count} times");

    /// <summary>Waits until the instance <paramref name="name"/> is in <paramref name="state"/>.</summary>
    public Task InState(string name, InstanceState state) =>
        Poll.Until(() => this[name].State == state, $"{name} to be {state} (is {this[name].State})");

    /// <summary>Waits until the output shows <paramref name="text"/>.</summary>
    public Task Shows(string text) => Output.Shows(text);

    /// <summary>
    /// Waits until the supervisor's loop has handled every event posted before this call (a control request is
    /// queued behind them). Events those handlers post in turn (an immediate restart) may still be pending.
    /// </summary>
    public Task Settled() => Poll.Completion(Supervisor.SnapshotAsync(), "the supervisor's loop to catch up");

    /// <summary>Waits for <see cref="Supervisor.RunAsync"/> to return and for all output to be written; returns the exit code.</summary>
    public async Task<int> Finished()
    {
        int code = await Poll.Completion(Running, "RunAsync to return");
        await Output.DisposeAsync();
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        // A test that failed half-way leaves the loop waiting: ask it to stop so it does not linger.
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
