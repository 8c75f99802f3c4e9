using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// systemd-analyze verify on the exported units. It reports unknown keys and bad values only as warnings with
/// exit code 0, so any output on stderr fails the test.
/// </summary>
public sealed class SystemdVerifyTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private (int Code, string Stderr) Verify(ExportRequest request)
    {
        var files = Exporters.Export("systemd", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        string units = _tmp.Combine("units");
        Assert.True(ExportWriter.Write(units, request.App, "systemd", files.Value).Ok);
        // APP.env is not a unit: the units read it (EnvironmentFile=), verify takes units only.
        return Verify(units, files.Value.Select(f => f.Path).Where(p => p.EndsWith(".service", StringComparison.Ordinal)
            || p.EndsWith(".target", StringComparison.Ordinal)));
    }

    private static (int Code, string Stderr) Verify(string dir, IEnumerable<string> units)
    {
        var (code, _, stderr) = Commands.Run("systemd-analyze", ["verify", .. units.Select(u => Path.Combine(dir, u))],
            TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["SYSTEMD_LOG_LEVEL"] = "info" });
        return (code, stderr);
    }

    [RequiresCommandFact("systemd-analyze")]
    public void The_exported_units_pass_verify_without_any_warning()
    {
        // The app root must exist: verify checks WorkingDirectory= and ExecStart='s program.
        var request = Fixtures.Request(root: _tmp.Path, user: "root");

        var (code, stderr) = Verify(request);

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
    }

    [RequiresCommandFact("systemd-analyze")]
    public void Multi_line_values_and_a_zero_timeout_pass_verify_too()
    {
        var env = new Dictionary<string, string>
        {
            ["CERT"] = "-----BEGIN-----\n\tabc\n-----END-----",
            ["SPECIFIERS"] = "%i %n %% $PORT ${PORT} \\x41 '",
        };
        var request = Fixtures.Request(Fixtures.Procfile(("web", "echo \"%i $PORT\" '\\n' ; exit 0")), "web=3", env,
            root: _tmp.Path, user: "root", timeout: 0);

        var (code, stderr) = Verify(request);

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
    }

    [RequiresCommandFact("systemd-analyze")]
    public void The_check_itself_notices_a_warning()
    {
        // Guards the test above: a unit with an unknown key must produce stderr, or an empty stderr proves nothing.
        File.WriteAllText(_tmp.Combine("bad.service"), "[Service]\nExecStart=/bin/sh -c true\nNoSuchKey=1\n");

        var (_, stderr) = Verify(_tmp.Path, ["bad.service"]);

        Assert.Contains("NoSuchKey", stderr, StringComparison.Ordinal);
    }
}
