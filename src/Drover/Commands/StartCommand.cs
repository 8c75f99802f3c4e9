using System.CommandLine;
using System.Runtime.InteropServices;
using Drover.Control;
using Drover.Core.App;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using Drover.Core.Logs;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Core.Terminals;
using Drover.Core.Watch;
using Drover.Posix;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover start</c>: run the formation in the foreground until interrupted, serving the control socket.
/// While one runs for this app, <c>drover start TYPE...</c> starts that formation's stopped processes instead.
/// </summary>
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
            DefaultValueFactory = _ => RestartPolicyNames.Default,
        };
        restart.AcceptOnlyFromAmong([.. RestartPolicyNames.All]);
        var stopOnExit = new Option<bool>("--stop-on-exit")
        {
            Description = "Foreman's behaviour: when any process exits, stop them all and exit with its code. A CI job or script written for `foreman start` should call `drover start --stop-on-exit`",
        };
        var noColor = new Option<bool>("--no-color") { Description = "no colors (also: NO_COLOR set, or output not a terminal)" };
        var forceColor = new Option<bool>("--color", "-c") { Description = "colors even when output is not a terminal or NO_COLOR is set (Foreman's -c); --no-color wins" };
        var noTimestamp = new Option<bool>("--no-timestamp") { Description = "no time in the line prefix" };
        var logLines = new Option<int>("--log-lines")
        {
            Description = "lines of output kept per process for `drover logs`",
            DefaultValueFactory = _ => 1000,
        };
        var readiness = new Option<int>("--ready-timeout")
        {
            Description = "seconds a restarted process may take to accept connections on its PORT during a rolling restart",
            DefaultValueFactory = _ => 30,
        };

        var maxDelay = new Option<double>("--max-restart-delay")
        {
            Description = "cap, in seconds, of the restart delay of a crash-looping process (it doubles from 0.1 s; 0 restarts at once every time)",
            DefaultValueFactory = _ => BackoffOptions.Default.Max.TotalSeconds,
        };
        maxDelay.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 86400)
            {
                r.AddError("--max-restart-delay must be from 0 to 86400 seconds");
            }
        });

        var dashboard = DashboardOption();
        var logFiles = new LogFileOptions();
        var tty = new Option<string>("--tty")
        {
            Description = "which processes run on a pseudo-terminal (colors, prompts, `drover attach`): auto (all when stdout is a terminal), always, never, or types (web,console)",
            DefaultValueFactory = _ => TerminalChoice.Auto,
            HelpName = "when",
        };

        var watch = new Option<string[]>("--watch", "-w")
        {
            Description = "restart a type (rolling) when its files change: TYPE=PATH[,PATH...], paths or globs relative to the app root (quote globs); repeatable. .gitignore, .git, node_modules and --log-dir are not watched (docs/watch.md)",
            HelpName = "type=paths",
        };

        var watchDelay = new Option<double>("--watch-delay")
        {
            Description = "seconds without a change before --watch restarts a type (a burst of writes gives one restart)",
            DefaultValueFactory = _ => WatchRestarts.DefaultQuiet.TotalSeconds,
            HelpName = "seconds",
        };
        watchDelay.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 3600)
            {
                r.AddError("--watch-delay must be from 0 to 3600 seconds");
            }
        });

        var tui = new Option<bool>("--tui") { Description = "show the terminal UI (`drover tui`) instead of the prefixed output; quitting it stops the formation, as Ctrl-C would" };

        var command = new Command("start", "Run the app's processes in the foreground; Ctrl-C stops them all. While it runs, `drover start TYPE` starts stopped processes of that type.");
        app.AddTo(command);
        formation.AddTo(command);
        logFiles.AddTo(command);
        foreach (var option in new Option[] { timeout, restart, stopOnExit, maxDelay, noColor, forceColor, noTimestamp, logLines, readiness, dashboard, tty, watch, watchDelay, tui })
        {
            command.Options.Add(option);
        }

        command.SetAction(async parse =>
        {
            if (!app.LoadDefaults())
            {
                return ExitCodes.Usage;
            }
            string root = AppLocator.Root(app.Settings(parse), Directory.GetCurrentDirectory());
            string socketPath = ControlConnection.SocketPathFor(root);
            if (SocketFolder.Prepare(Path.GetDirectoryName(socketPath)!) is string folderProblem)
            {
                Console.Error.WriteLine($"drover: {folderProblem}");
                return ExitCodes.Failure;
            }
            if (SocketGuard.AnswererUid(socketPath, out uint? answerer))
            {
                if (answerer != UserIdentity.Uid() && answerer != 0)
                {
                    Console.Error.WriteLine($"drover: {new UntrustedSocketException(socketPath, answerer).Message}");
                    return ExitCodes.Failure;
                }
                return await StartStoppedAsync(parse, formation, root, socketPath);
            }

            if (parse.GetValue(tui) && (!RawTerminal.IsTerminal(0) || !RawTerminal.IsTerminal(1)))
            {
                Console.Error.WriteLine("drover: --tui needs a terminal on stdin and stdout");
                return ExitCodes.Usage;
            }
            var logChoice = logFiles.Resolve(parse, app.Defaults, out string? logProblem);
            if (logProblem is not null)
            {
                Console.Error.WriteLine($"drover: {logProblem}");
                return ExitCodes.Usage;
            }
            var terminalFor = TerminalChoice.Parse(parse.GetValue(tty), RawTerminal.IsTerminal(1), out string? ttyError);
            if (ttyError is not null)
            {
                Console.Error.WriteLine($"drover: {ttyError}");
                return ExitCodes.Usage;
            }
            var cap = TimeSpan.FromSeconds(parse.GetValue(maxDelay));
            var backoff = BackoffOptions.Default with { Max = cap, Initial = cap < BackoffOptions.Default.Initial ? cap : BackoffOptions.Default.Initial };
            var request = formation.Request(parse, app) with { Backoff = backoff };
            var plan = app.Plan(request);
            if (!AppOptions.Report(plan))
            {
                return ExitCodes.Usage;
            }
            var logErrors = new List<string>();
            var logLayout = LogLocationCheck.Layout(logChoice!.Value.Dir, logChoice.Value.Tuned, plan.Value.Settings, logErrors);
            if (logErrors.Count > 0)
            {
                foreach (var error in logErrors)
                {
                    Console.Error.WriteLine($"drover: {error}");
                }
                return ExitCodes.Usage;
            }
            var logs = logLayout is null ? ((LogLayout, LogRotation)?)null : (logLayout, logChoice.Value.Rotation);
            var watchFlags = WatchFlag.Parse(parse.GetValue(watch) ?? []);
            var watchPlan = watchFlags.Ok
                ? WatchPlan.Build(plan.Value.Settings, watchFlags.Value, [.. plan.Value.Factory.Procfile.Types.Select(t => t.Name)], plan.Value.App.Root, logChoice.Value.Dir)
                : Result<WatchPlan>.Failure(watchFlags.Errors);
            if (!watchPlan.Ok)
            {
                foreach (var error in watchPlan.Errors)
                {
                    Console.Error.WriteLine($"drover: {error}");
                }
                return ExitCodes.Usage;
            }
            var options = new SupervisorOptions(
                RestartPolicyNames.Parse(parse.GetValue(restart))!.Value,
                parse.GetValue(stopOnExit),
                TimeSpan.FromSeconds(parse.GetResult(timeout) is { Implicit: false } ? parse.GetValue(timeout) : app.Defaults.Timeout ?? parse.GetValue(timeout)),
                backoff)
            {
                PortOwners = new ProcfsPortOwners(),
            };
            var initial = plan.Value;
            var instances = initial.CreateInstances();
            if (instances.Count == 0)
            {
                Console.Error.WriteLine("drover: nothing to start: every process type has a count of 0");
                return ExitCodes.Usage;
            }
            // Each process costs one file descriptor: use the whole hard limit, then refuse a formation the limits
            // cannot hold before starting any of it (rather than failing half-way).
            if (ResourceLimits.RaiseOpenFileLimit() is string raiseProblem)
            {
                Console.Error.WriteLine($"drover: warning: cannot raise the open-file limit to its hard limit ({raiseProblem})");
            }
            if (new ProcessCapacity().Refusal(instances.Count) is string refusal)
            {
                Console.Error.WriteLine($"drover: cannot start {instances.Count} processes, nothing started: {refusal}");
                return ExitCodes.Usage;
            }
            bool color = ColorChoice.Decide(
                parse.GetValue(noColor), parse.GetValue(forceColor), Environment.GetEnvironmentVariable("NO_COLOR"), !Console.IsOutputRedirected);
            var formatter = new PrefixFormatter(TimeProvider.System, color, !parse.GetValue(noTimestamp), initial.NameWidth);
            Result<FormationPlan> Reload()
            {
                var again = app.Plan(request);
                return again.Ok ? Result<FormationPlan>.Success(again.Value.Plan) : Result<FormationPlan>.Failure(again.Errors);
            }
            var run = new FormationRun(
                instances, initial.Plan, options, formatter, new LogBook(Math.Max(0, parse.GetValue(logLines))),
                Reload, socketPath, initial.App, TimeSpan.FromSeconds(parse.GetValue(readiness)),
                parse.GetResult(dashboard) is null ? null : parse.GetValue(dashboard) ?? "")
            {
                LogFiles = logs,
                TerminalFor = terminalFor,
                Watch = watchPlan.Value.IsEmpty ? null : watchPlan.Value,
                WatchDelay = TimeSpan.FromSeconds(parse.GetValue(watchDelay)),
                TuiColors = parse.GetValue(tui) ? TuiCommand.Colors(parse.GetValue(noColor)) : null,
            };
            return await run.RunAsync();
        });
        return command;
    }

    /// <summary>
    /// --dashboard [ADDR:PORT]: the value is optional, so `--dashboard web` must leave `web` to the types: only a
    /// port or something with ':', '.' or '[' is taken as the address.
    /// </summary>
    private static Option<string?> DashboardOption() => new("--dashboard")
    {
        Description = "serve the web dashboard and /metrics; prints its URL with the access token (default 127.0.0.1 and a free port)",
        HelpName = "addr:port",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return "";
            }
            string text = result.Tokens[0].Value;
            if (!DashboardLauncher.LooksLikeAddress(text))
            {
                result.OnlyTake(0);
                return "";
            }
            if (!DashboardLauncher.IsValidAddress(text))
            {
                result.AddError($"--dashboard: '{text}' is not PORT or ADDRESS:PORT (e.g. 7070, 127.0.0.1:7070, [::1]:7070, 0.0.0.0:7070)");
            }
            return text;
        },
    };

    /// <summary>`drover start web` while a Drover runs this app: start its stopped web processes.</summary>
    private static async Task<int> StartStoppedAsync(ParseResult parse, FormationOptions formation, string root, string socketPath)
    {
        string[] types = parse.GetValue(formation.Types) ?? [];
        if (types.Length == 0)
        {
            Console.Error.WriteLine($"drover: a Drover is already running {root} (control socket {socketPath}); use `drover start TYPE` to start stopped processes, or `drover ps`");
            return ExitCodes.Failure;
        }
        int result = ExitCodes.Ok;
        foreach (string type in types)
        {
            string body = System.Text.Json.JsonSerializer.Serialize(new TargetRequest(type), WireJson.Default.TargetRequest);
            int code = await ControlConnection.RunAsync(root, HttpMethod.Post, "v1/start", body);
            result = result == ExitCodes.Ok ? code : result;
        }
        return result;
    }
}
