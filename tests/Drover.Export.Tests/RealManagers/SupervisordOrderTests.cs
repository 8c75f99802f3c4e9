using System.Diagnostics;
using System.Text;
using Drover.Core.Settings.Parsing;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>The settings file's depends_on order, as a real supervisord starts the exported programs.</summary>
public sealed class SupervisordOrderTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly StringBuilder _log = new();
    private Process? _supervisord;

    public void Dispose()
    {
        if (_supervisord is { HasExited: false })
        {
            _supervisord.Kill(entireProcessTree: true);
            _supervisord.WaitForExit();
        }
        _supervisord?.Dispose();
        _tmp.Dispose();
    }

    [RequiresCommandFact("supervisord")]
    public void Supervisord_starts_what_a_type_depends_on_first()
    {
        // Alphabetical and Procfile order both put api first: only depends_on puts zdb (its database) first.
        string order = _tmp.Combine("order");
        string Command(string name) => $"echo {name} >> '{order}'; exec sleep 1000";
        var procfile = Fixtures.Procfile(("api", Command("api")), ("worker", Command("worker")), ("zdb", Command("zdb")));
        var settings = SettingsParser.Parse("processes:\n  api:\n    depends_on: [zdb]\n  worker:\n    depends_on: [api]\n", "drover.yaml");
        Assert.True(settings.Ok, string.Join("\n", settings.Errors));
        var request = Fixtures.Request(procfile, "", new Dictionary<string, string>(), user: Environment.UserName, root: _tmp.Path, app: "ordertest")
            with { Settings = settings.Value };
        var files = Exporters.Export("supervisord", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string confDir = _tmp.Combine("conf.d");
        Assert.True(ExportWriter.Write(confDir, "ordertest", "supervisord", files.Value).Ok);
        string conf = _tmp.Combine("supervisord.conf");
        File.WriteAllText(conf, $"""
            [supervisord]
            nodaemon=true
            user={Environment.UserName}
            logfile={_tmp.Combine("supervisord.log")}
            pidfile={_tmp.Combine("supervisord.pid")}
            childlogdir={_tmp.Path}

            [include]
            files={confDir}/*.conf

            """);

        _supervisord = Commands.Start("supervisord", ["-c", conf], _tmp.Path, _log);
        Wait.Until(() => File.Exists(order) && File.ReadAllLines(order).Length == 3, "all three programs to start",
            context: () => _log.ToString());

        // supervisord spawns them one after another without waiting between them, so the order is its own
        // record of the spawns (the programs' own lines may race each other).
        var spawned = File.ReadAllLines(_tmp.Combine("supervisord.log"))
            .Where(l => l.Contains("spawned: 'ordertest-", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("spawned: 'ordertest-", StringComparison.Ordinal) + "spawned: 'ordertest-".Length)..].Split('.')[0])
            .ToList();
        Assert.Equal(["zdb", "api", "worker"], spawned);
        Commands.Signal(_supervisord.Id, "TERM");
        Assert.True(_supervisord.WaitForExit(Wait.Long), "supervisord did not stop\n" + _log);
    }
}
