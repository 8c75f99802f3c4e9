using System.CommandLine;
using Drover.Cluster.Agent;
using Drover.Cluster.State;
using Drover.Core.App;
using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Supervision;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover agent</c>: join a cluster through etcd and run this machine's share of the app's formation
/// (docs/cluster.md).
/// </summary>
internal static class AgentCommand
{
    /// <summary>
    /// Time allowed, beyond the stop timeout, for the fence's SIGTERM and SIGKILL to land and take effect on a machine
    /// starved of CPU: a fifth of the lease TTL, at least 1 s. At load average 157 on 2 cores a fenced process
    /// ended 2.5 s after the fence fired with a 1 s stop timeout (bench/cluster-partition.sh), past a 1 s allowance.
    /// </summary>
    internal static TimeSpan FenceAllowance(int leaseSeconds) => TimeSpan.FromSeconds(Math.Max(1.0, leaseSeconds / 5.0));

    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var app = new AppOptions();
        var node = new Option<string>("--node")
        {
            Description = "this agent's node name, unique in the cluster (default: the host name)",
            HelpName = "name",
            DefaultValueFactory = _ => Environment.MachineName,
        };
        node.Validators.Add(r =>
        {
            if (!ClusterKeys.IsValidName(r.GetValueOrDefault<string>() ?? ""))
            {
                r.AddError("--node must be 1 to 128 letters, digits, '-', '_' or '.'");
            }
        });
        var capacity = new Option<int>("--capacity")
        {
            Description = "how many processes this node may run",
            DefaultValueFactory = _ => 32,
        };
        capacity.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--capacity must be 0 or more");
            }
        });
        var ttl = new Option<int>("--lease-ttl")
        {
            Description = "seconds: the agent's lease; its slots move elsewhere this long after it is last heard from. Cut off from etcd, "
                + "it stops the processes of `fenced` types before then and keeps those of `keep` types (the default) running; "
                + "see `drover cluster fence`",
            DefaultValueFactory = _ => 10,
        };
        var timeout = new Option<int>("--timeout", "-t")
        {
            Description = "seconds between SIGTERM and SIGKILL when stopping a process",
            DefaultValueFactory = _ => 3,
        };
        var formation = new Option<string?>("--formation", "-m")
        {
            Description = "the formation to write if the cluster has none yet, e.g. web=2,worker=1 (default: one of each type)",
            HelpName = "spec",
        };
        var port = new Option<int?>("--port", "-p")
        {
            Description = "base port (default: $PORT, else 5000); slot web.k gets the port `drover start` would give it",
        };
        var restart = new Option<string>("--restart")
        {
            Description = "when to restart a process that exited: on-failure, always, never",
            DefaultValueFactory = _ => RestartPolicyNames.Default,
        };
        restart.AcceptOnlyFromAmong([.. RestartPolicyNames.All]);
        var noColor = new Option<bool>("--no-color") { Description = "no colors" };
        var noTimestamp = new Option<bool>("--no-timestamp") { Description = "no time in the line prefix" };

        var command = new Command("agent", "Join a Drover cluster through etcd and run this machine's share of the app's processes (docs/cluster.md). SIGINT/SIGTERM: stop them and leave.");
        cluster.AddTo(command);
        app.AddTo(command);
        foreach (var option in new Option[] { node, capacity, ttl, timeout, formation, port, restart, noColor, noTimestamp })
        {
            command.Options.Add(option);
        }
        command.SetAction(async parse =>
        {
            int t = parse.GetValue(timeout), lease = parse.GetValue(ttl);
            double allowance = FenceAllowance(lease).TotalSeconds;
            if (t < 0 || lease < t + allowance + 2)
            {
                Console.Error.WriteLine(t < 0
                    ? "drover: --timeout must be 0 or more seconds"
                    : $"drover: --lease-ttl ({lease} s) must be at least --timeout ({t} s) + the fence allowance ({allowance:0.#} s: a fifth of the TTL, at least 1 s) + 2 s: an agent cut off from etcd must have stopped its processes before its lease can expire");
                return ExitCodes.Usage;
            }
            // The same planner as `drover start`: .foreman defaults and the port check included.
            var planned = app.LoadDefaults()
                ? app.Plan(new PlanRequest(app.GivenSettings(parse), parse.GetValue(formation), parse.GetValue(port), []))
                : null;
            if (planned is null || !AppOptions.Report(planned))
            {
                return ExitCodes.Usage;
            }
            var (loaded, wanted) = (planned.Value.App, planned.Value.Formation);
            var counts = wanted.Entries.ToDictionary(e => e.Type.Name, e => e.Count, StringComparer.Ordinal);
            var stopTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout));
            var options = new SupervisorOptions(RestartPolicyNames.Parse(parse.GetValue(restart))!.Value, false, stopTimeout, BackoffOptions.Default);
            var agentOptions = new AgentOptions(
                cluster.Keys(parse),
                parse.GetValue(node)!,
                parse.GetValue(capacity),
                TimeSpan.FromSeconds(parse.GetValue(ttl)),
                stopTimeout + FenceAllowance(lease),
                new DesiredState(counts, AppRevision.Of(loaded)),
                loaded.Procfile.Types.Select(t => t.Name).ToList());
            bool color = ColorChoice.Decide(
                parse.GetValue(noColor), forceColor: false, Environment.GetEnvironmentVariable("NO_COLOR"), !Console.IsOutputRedirected);
            // Which slots run here is the cluster's to decide: start from the width of the whole formation asked for;
            // the supervisor widens it by the same rule when a slot with a longer name starts.
            var formatter = new PrefixFormatter(TimeProvider.System, color, !parse.GetValue(noTimestamp), planned.Value.NameWidth);
            await using var store = cluster.Connect(parse);
            return await new AgentRun(store, planned.Value.Factory, options, agentOptions, formatter).RunAsync();
        });
        return command;
    }
}
