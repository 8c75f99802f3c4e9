using System.Runtime.InteropServices;
using Drover.Control;
using Drover.Core.App;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Diagnostics;
using Drover.Core.Logs;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;
using Drover.Core.Watch;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary>
/// Everything a running `drover start` is made of, wired together and taken down in reverse order: the output
/// writer, the process launcher, the supervisor, the control server and the signal handlers.
/// </summary>
internal sealed class FormationRun(
    IReadOnlyList<Instance> instances,
    FormationPlan plan,
    SupervisorOptions options,
    PrefixFormatter formatter,
    LogBook log,
    Func<Result<FormationPlan>> reload,
    string socketPath,
    LoadedApp app,
    TimeSpan readinessTimeout,
    string? dashboard = null)
{
    /// <summary>Where log files go (--log-dir, the types' log_location) and their rotation, or null.</summary>
    public (LogLayout Layout, LogRotation Rotation)? LogFiles { get; init; }

    /// <summary>Which instances run on a pseudo-terminal (by name); none when null.</summary>
    public Func<string, bool>? TerminalFor { get; init; }

    /// <summary>What watch mode watches (--watch, the settings' watch keys); null: nothing.</summary>
    public WatchPlan? Watch { get; init; }

    /// <summary>The quiet period before a watched type restarts (--watch-delay).</summary>
    public TimeSpan WatchDelay { get; init; } = WatchRestarts.DefaultQuiet;

    /// <summary>
    /// <c>start --tui</c>: the terminal UI over this formation's control socket (with or without colors) instead of
    /// the prefixed output; quitting it stops the formation, as Ctrl-C would. Null without --tui.
    /// </summary>
    public bool? TuiColors { get; init; }

    public async Task<int> RunAsync()
    {
        OutputHub? hub = null;
        // Declared first, so disposed last: the output writer drains into it before it closes the files.
        await using var files = LogFiles is { } l ? new LogFiles(l.Layout, l.Rotation, message => hub?.System(message)) : null;
        // Prompts without a newline are shown on a terminal; a pipe or file gets whole lines only.
        // Under --tui the UI has the screen: the prefixed output is held back until it is gone.
        var held = TuiColors is null ? null : new HeldOutput(StandardStreams.Output());
        await using var output = new OutputHub(held ?? StandardStreams.Output(), formatter, log) { ShowsPartialLines = held is null && RawTerminal.IsTerminal(1) };
        hub = output;
        if (files is not null)
        {
            output.Tap(files);
        }

        using var host = ProcessHost.Start(output, "Drover", TerminalFor);
        var supervisor = new Supervisor(instances, host.Launcher, output, options, TimeProvider.System);
        using var controller = new FormationController(supervisor, plan, reload, readinessTimeout, new ProcessCapacity());

        // The socket is claimed before anything starts (a second Drover for this app must start nothing);
        // the HTTP server behind it comes up while the processes start.
        var status = new StatusResponse(Environment.ProcessId, app.Root, app.Procfile.File, CliApp.Version, files?.Directory)
        {
            TypeLogFiles = files?.Layout.TypeFiles,
        };
        // The web dashboard runs only when asked for: --dashboard (null when not given), or `drover dashboard`.
        await using var dashboards = new DashboardLauncher(controller, log, new ProcfsStats(), status, output);
        ControlServer server;
        try
        {
            server = ControlServer.Claim(new ControlServerOptions(
                socketPath, controller, log, new ProcfsStats(), status, UserIdentity.Uid())
            {
                StartDashboard = () => dashboards.EnsureStartedAsync(),
                RotateLogs = files is null ? null : files.RotateAsync,
                Terminals = host.Launcher,
            });
        }
        catch (AlreadyRunningException e)
        {
            await Console.Error.WriteLineAsync($"drover: {e.Message}");
            return ExitCodes.Failure;
        }
        await using var serverScope = server;

        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            supervisor.RequestShutdown();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)Signals.Usr1, ctx =>
        {
            ctx.Cancel = true;
            _ = ReloadAsync(controller, output);
        });

        _ = server.ServeAsync(problem =>
            output.System($"warning: the control API could not start ({problem}); ps, scale, restart, stop and logs will not reach this Drover until it can (retried every second)"));
        if (dashboard is not null)
        {
            dashboards.StartInBackground(dashboard);
        }
        // The runtime's timer thread and a thread-pool worker come into being now, before the processes start:
        // threads count against the same process limit (RLIMIT_NPROC) as the children, and a runtime that could
        // not create its first worker once the children took the last slots would hang with them.
        await Task.Delay(1);
        using var watch = StartWatch(controller, output);
        if (held is null)
        {
            return await supervisor.RunAsync();
        }
        var running = supervisor.RunAsync();
        var tui = TuiCommand.Launch(socketPath, Path.GetFileName(app.Root), TuiColors!.Value, () => supervisor.RequestShutdown());
        // However the UI ends (q, the formation's end, a failure), the rest of the output is seen on stdout; a UI
        // that could not run at all stops the formation it was the only view of.
        int tuiCode = await tui.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : ExitCodes.Failure, TaskScheduler.Default);
        held.Release();
        if (tuiCode != 0)
        {
            supervisor.RequestShutdown();
        }
        int code = await running;
        return tuiCode != 0 && code == 0 ? tuiCode : code;
    }

    /// <summary>Watch mode: a change restarts its type as `drover restart TYPE` does, while the formation runs.</summary>
    private FileWatch? StartWatch(FormationController controller, OutputHub output)
    {
        if (Watch is null)
        {
            return null;
        }
        async Task Restart(string type)
        {
            if (controller.View.Phase == FormationPhase.Running)
            {
                await controller.RestartAsync(type);
            }
        }
        var watch = new FileWatch(Watch, new InotifyWatcher(), Restart, output.System, TimeProvider.System, WatchDelay);
        watch.Start();
        return watch;
    }

    private static async Task ReloadAsync(FormationController controller, OutputHub output)
    {
        output.System("SIGUSR1: reloading the Procfile and env files");
        try
        {
            await controller.ReloadAsync();
            output.System("reload done");
        }
        catch (ControlException e)
        {
            output.System(e.Message);
        }
    }
}
