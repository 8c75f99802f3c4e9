using System.Globalization;
using Drover.Export.Tests.Support;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The formation the real-manager tests run: web x2 and worker x1, each instance writing its PORT and pid to a
/// file named after PS, and its TRICKY value to another, then sleeping with a background grandchild (so stopping
/// has to reach the whole process group).
/// </summary>
internal sealed record RealRun(string MarkDir, string Marker)
{
    public const int BasePort = 6000;

    public static readonly string[] Instances = ["web.1", "web.2", "worker.1"];

    public static readonly Dictionary<string, int> ExpectedPorts = new()
    {
        ["web.1"] = BasePort,
        ["web.2"] = BasePort + 1,
        ["worker.1"] = BasePort + 100,
    };

    private const string Command =
        "printf '%s' \"$TRICKY\" > \"$MARK_DIR/$PS.tricky\"; " +
        "echo \"$PORT $$\" > \"$MARK_DIR/$PS.tmp\" && mv \"$MARK_DIR/$PS.tmp\" \"$MARK_DIR/$PS.port\"; " +
        "sleep 600 & exec sleep 600";

    public ExportRequest Request(string root, string tricky, int timeout = 2)
    {
        var procfile = Fixtures.Procfile(("web", Command), ("worker", Command));
        var env = new Dictionary<string, string>
        {
            ["MARK_DIR"] = MarkDir,
            ["TRICKY"] = tricky,
            ["DROVER_TEST_MARK"] = Marker,
        };
        return Fixtures.Request(procfile, "web=2,worker=1", env, user: Environment.UserName, root: root,
            rootGiven: true, timeout: timeout, basePort: BasePort, app: "drovertest");
    }

    /// <summary>The port and pid instance <paramref name="name"/> wrote last, or null while it has not.</summary>
    public (int Port, int Pid)? Read(string name)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(MarkDir, name + ".port")).Split(' ', '\n');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public string Tricky(string name) => File.ReadAllText(Path.Combine(MarkDir, name + ".tricky"));

    /// <summary>Waits until every instance has written its port and pid.</summary>
    public Dictionary<string, (int Port, int Pid)> WaitForAll(Func<string> context) =>
        Wait.For(() => Instances.All(i => Read(i) is not null) ? Instances.ToDictionary(i => i, i => Read(i)!.Value) : null,
            "every instance to start", context: context);

    /// <summary>Kills the whole process group of <paramref name="name"/> (a crash) and waits for a new pid.</summary>
    public (int Port, int Pid) CrashAndWaitForRestart(string name, int pid, Func<string> context)
    {
        Commands.Signal(pid, "KILL", group: true);
        var restarted = Wait.For(() => Read(name) is { } m && m.Pid != pid ? new Box(m) : null,
            $"{name} to be restarted", context: context);
        return restarted.Value;
    }

    private sealed record Box((int Port, int Pid) Value);
}
