using System.CommandLine;
using System.Runtime.InteropServices;
using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary><c>drover start</c>: run the formation in the foreground until interrupted.</summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var app = new AppOptions();
        var formation = new FormationOptions();
        var timeout = new Option<int>("--timeout", "-t")
        {
            Description = "seconds between SIGTERM and SIGKILL at shutdown",
            DefaultValueFactory = _ => 5,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--timeout must be 0 or more seconds");
            }
        });
        var restart = new Option<string>("--restart")
        {
            Description = "when to restart a process that exited: on-failure (non-zero code or signal), always, never",
            DefaultValueFactory = _ => "on-failure",
        };
        restart.AcceptOnlyFromAmong("on-failure", "always", "never");
        var stopOnExit = new Option<bool>("--stop-on-exit")
        {
            Description = "Foreman's behaviour: when any process exits, stop them all and exit with its code",
        };
        var noColor = new Option<bool>("--no-color") { Description = "no colors (also: NO_COLOR set, or output not a terminal)" };
        var noTimestamp = new Option<bool>("--no-timestamp") { Description = "no time in the line prefix" };

        var command = new Command("start", "Run the app's processes in the foreground; Ctrl-C stops them all.");
        app.AddTo(command);
        formation.AddTo(command);
        command.Options.Add(timeout);
        command.Options.Add(restart);
        command.Options.Add(stopOnExit);
        command.Options.Add(noColor);
        command.Options.Add(noTimestamp);

        command.SetAction(async parse =>
        {
            var loaded = app.Load(parse);
            var plan = loaded is null ? null : formation.Resolve(parse, loaded);
            if (loaded is null || plan is null)
            {
                return ExitCodes.Usage;
            }
            var options = new SupervisorOptions(
                parse.GetValue(restart) switch
                {
                    "always" => RestartPolicy.Always,
                    "never" => RestartPolicy.Never,
                    _ => RestartPolicy.OnFailure,
                },
                parse.GetValue(stopOnExit),
                TimeSpan.FromSeconds(parse.GetValue(timeout)),
                BackoffOptions.Default);
            var instances = LaunchPlanner.Plan(plan.Value.Formation, plan.Value.Ports, loaded.Environment, loaded.Root, options.Backoff);
            if (instances.Count == 0)
            {
                Console.Error.WriteLine("drover: nothing to start: every process type has a count of 0");
                return ExitCodes.Usage;
            }
            bool color = !parse.GetValue(noColor)
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                && !Console.IsOutputRedirected;
            return await RunAsync(instances, options, color, !parse.GetValue(noTimestamp));
        });
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<Instance> instances, SupervisorOptions options, bool color, bool timestamps)
    {
        var formatter = new PrefixFormatter(TimeProvider.System, color, timestamps, LaunchPlanner.NameWidth(instances));
        await using var output = new OutputHub(Console.OpenStandardOutput(), formatter);

        // Orphaned grandchildren come back to us instead of init, so shutdown can wait for them too.
        string? subreaperError = Subreaper.TryEnable();
        if (subreaperError is not null)
        {
            output.System($"warning: {subreaperError}; grandchildren that outlive their parent are not tracked");
        }
        using var launcher = new PosixProcessLauncher(reapOrphans: subreaperError is null);
        var supervisor = new Supervisor(instances, launcher, output, options, TimeProvider.System);

        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            supervisor.RequestShutdown();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        return await supervisor.RunAsync();
    }
}
