using System.Diagnostics;
using System.Text;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>runit's runsvdir (Debian's package) runs the exported service directories from a temp directory.</summary>
public sealed class RunitTests : IDisposable
{
    // chpst -e carries anything but trailing blanks: quotes of both kinds, '$', '%', backslashes, newlines.
    private const string Tricky = "it's a \"quoted\" 100% $HOME \\ value ; # not a comment\nsecond line";

    private readonly TempDir _tmp = new();
    private readonly RealRun _run;
    private readonly StringBuilder _log = new();
    private Process? _runsvdir;

    public RunitTests()
    {
        _run = new RealRun(Directory.CreateDirectory(_tmp.Combine("marks")).FullName, "drover-test-" + Guid.NewGuid().ToString("N"));
    }

    public void Dispose()
    {
        if (_runsvdir is { HasExited: false })
        {
            // runsvdir passes HUP on as TERM to every runsv; KILL is the fallback.
            Commands.Signal(_runsvdir.Id, "HUP");
            if (!_runsvdir.WaitForExit(Wait.Long))
            {
                _runsvdir.Kill();
            }
        }
        _runsvdir?.Dispose();
        ProcessScan.KillAll(_run.Marker, _tmp.Path);
        _tmp.Dispose();
    }

    private string Context()
    {
        lock (_log)
        {
            var logs = Directory.EnumerateFiles(_tmp.Path, "current", SearchOption.AllDirectories)
                .Select(f => $"--- {f}\n{File.ReadAllText(f)}");
            return $"runsvdir output:\n{_log}\n{string.Join("\n", logs)}";
        }
    }

    [RequiresCommandFact("runsvdir", "runsv", "chpst", "svlogd")]
    public void Runsvdir_runs_every_instance_with_its_port_restarts_a_crashed_one_and_stops_them_all()
    {
        var files = Exporters.Export("runit", _run.Request(_tmp.Path, Tricky, timeout: 1));
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string services = _tmp.Combine("service");
        Assert.True(ExportWriter.Write(services, "drovertest", "runit", files.Value).Ok);

        _runsvdir = Commands.Start("runsvdir", [services], _tmp.Path, _log);

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

        // HUP: runsvdir sends TERM to each runsv, which stops its service (control/t: the whole group) and exits.
        Commands.Signal(_runsvdir.Id, "HUP");
        Assert.True(_runsvdir.WaitForExit(Wait.Long), "runsvdir did not stop\n" + Context());
        Wait.Until(() => ProcessScan.Find(_run.Marker, _tmp.Path).Count == 0, "every process to be gone",
            context: () => ProcessScan.Describe(ProcessScan.Find(_run.Marker, _tmp.Path)));
    }
}
