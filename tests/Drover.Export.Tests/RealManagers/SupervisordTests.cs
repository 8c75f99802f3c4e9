using System.Diagnostics;
using System.Text;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>supervisord (Debian's package) runs the exported file in the foreground, from a temp directory.</summary>
public sealed class SupervisordTests : IDisposable
{
    // Both quote kinds cannot be carried by supervisord's environment=; everything else here must arrive intact.
    private const string Tricky = "a \"quoted\" 100% $HOME \\ value, with comma;and=equals";

    private readonly TempDir _tmp = new();
    private readonly RealRun _run;
    private readonly StringBuilder _log = new();
    private Process? _supervisord;

    public SupervisordTests()
    {
        _run = new RealRun(Directory.CreateDirectory(_tmp.Combine("marks")).FullName, "drover-test-" + Guid.NewGuid().ToString("N"));
    }

    public void Dispose()
    {
        if (_supervisord is { HasExited: false })
        {
            _supervisord.Kill();
            _supervisord.WaitForExit();
        }
        _supervisord?.Dispose();
        ProcessScan.KillAll(_run.Marker, _tmp.Path);
        _tmp.Dispose();
    }

    private string Context()
    {
        lock (_log)
        {
            string logs = string.Join("\n", Directory.EnumerateFiles(_tmp.Path, "*.log").Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
            return $"supervisord output:\n{_log}\n{logs}";
        }
    }

    [RequiresCommandFact("supervisord")]
    public void Supervisord_runs_every_instance_with_its_port_restarts_a_crashed_one_and_stops_them_all()
    {
        var files = Exporters.Export("supervisord", _run.Request(_tmp.Path, Tricky));
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string confDir = _tmp.Combine("conf.d");
        Assert.True(ExportWriter.Write(confDir, "drovertest", "supervisord", files.Value).Ok);
        string conf = _tmp.Combine("supervisord.conf");
        File.WriteAllText(conf, $"""
            [supervisord]
            nodaemon=true
            user={Environment.UserName}
            logfile={_tmp.Combine("supervisord.log")}
            pidfile={_tmp.Combine("supervisord.pid")}
            childlogdir={_tmp.Path}

            [unix_http_server]
            file={_tmp.Combine("supervisor.sock")}

            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

            [include]
            files={confDir}/*.conf

            """);

        _supervisord = Commands.Start("supervisord", ["-c", conf], _tmp.Path, _log);

        var first = _run.WaitForAll(Context);
        foreach (var (name, port) in RealRun.ExpectedPorts)
        {
            Assert.Equal(port, first[name].Port);
            Assert.Equal(Tricky, _run.Tricky(name));
        }

        // Each instance is a sleep plus a background sleep in its process group: six processes to stop.
        Wait.Until(() => ProcessScan.Find(_run.Marker, _run.MarkDir).Count >= 6, "both sleeps of every instance",
            context: () => ProcessScan.Describe(ProcessScan.Find(_run.Marker, _run.MarkDir)));

        var restarted = _run.CrashAndWaitForRestart("web.1", first["web.1"].Pid, Context);
        Assert.Equal(RealRun.BasePort, restarted.Port);

        Commands.Signal(_supervisord.Id, "TERM");
        Assert.True(_supervisord.WaitForExit(Wait.Long), "supervisord did not stop\n" + Context());
        Wait.Until(() => ProcessScan.Find(_run.Marker, _tmp.Path).Count == 0, "every process to be gone",
            context: () => ProcessScan.Describe(ProcessScan.Find(_run.Marker, _tmp.Path)));
    }
}
