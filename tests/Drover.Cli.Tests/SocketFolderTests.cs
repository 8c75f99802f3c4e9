using System.Diagnostics;
using System.Net.Sockets;
using Drover.Cli.Tests.Support;
using Drover.Core.Control;

namespace Drover.Cli.Tests;

#pragma warning disable CA1416 // Linux only, like Drover

/// <summary>
/// Without XDG_RUNTIME_DIR the control sockets live in TMPDIR/drover-UID, a place anyone can create first. Drover
/// uses that folder only when it is its user's own, and trusts only a socket answered by its user or root.
/// </summary>
public sealed class SocketFolderTests : IDisposable
{
    private readonly string _tmp = Path.Combine(Path.GetTempPath(), "drover-socket-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public SocketFolderTests()
    {
        Directory.CreateDirectory(_tmp);
        File.SetUnixFileMode(_tmp, (UnixFileMode)0b1_111_111_111); // like /tmp: 1777
    }

    private string Folder => Path.Combine(_tmp, "drover-0");

    private Dictionary<string, string?> Env => new() { ["TMPDIR"] = _tmp, ["XDG_RUNTIME_DIR"] = null };

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    [Fact]
    public async Task A_socket_folder_another_user_made_first_is_refused_and_left_as_it_was()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, (UnixFileMode)0b111_111_111);
        Run("chown", TestUser.Name, Folder);

        var start = await DroverProcess.RunAsync(app.Root, ["start", "-p", $"{TestPorts.RandomBase()}"], Env);

        Assert.Equal(1, start.ExitCode);
        Assert.Contains(Folder, start.Stderr, StringComparison.Ordinal);
        Assert.Contains(TestUser.Name, start.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(start.Lines, l => l.Started is not null);
        Assert.Equal((UnixFileMode)0b111_111_111, File.GetUnixFileMode(Folder)); // never chmodded
    }

    [Fact]
    public async Task A_control_socket_answered_by_another_user_is_not_trusted()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, (UnixFileMode)0b111_111_111); // the user's own folder, but left open
        string socket = Path.Combine(Folder, Path.GetFileName(ControlAddress.SocketPath(app.Root, null, 0)));
        using var forger = Forger(socket);
        try
        {
            var ps = await DroverProcess.RunAsync(app.Root, ["ps"], Env);
            Assert.Equal(1, ps.ExitCode);
            Assert.Contains("not trusting", ps.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("forged", ps.Stdout, StringComparison.Ordinal);

            var start = await DroverProcess.RunAsync(app.Root, ["start", "-p", $"{TestPorts.RandomBase()}"], Env);
            Assert.Equal(1, start.ExitCode);
            Assert.Contains("not trusting", start.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("already running", start.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(start.Lines, l => l.Started is not null);
        }
        finally
        {
            forger.Kill();
        }
    }

    [Fact]
    public async Task Stale_sockets_of_killed_Drovers_are_removed_and_live_ones_kept()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");
        Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string stale = Path.Combine(Folder, "gone-0123456789abcdef.sock");
        // Bound, never listening, never removed: what a Drover killed with SIGKILL leaves (.NET would remove it).
        Run("perl", "-MIO::Socket::UNIX", "-e", "IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0]) or die", stale);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddMinutes(-5));
        string live = Path.Combine(Folder, "live-0123456789abcdef.sock");
        using var listening = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listening.Bind(new UnixDomainSocketEndPoint(live));
        listening.Listen();
        File.SetLastWriteTimeUtc(live, DateTime.UtcNow.AddMinutes(-5));

        using var drover = DroverProcess.Start(app.Root, ["start", "-p", $"{TestPorts.RandomBase()}"], Env);
        await drover.WaitForStartAsync("web.1");

        Assert.False(File.Exists(stale), "the stale socket is still there");
        Assert.True(File.Exists(live), "a socket someone listens on was removed");
        drover.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await drover.WaitForExitAsync());
    }

    /// <summary>Another user listening on <paramref name="socket"/>, answering every request with a forged formation.</summary>
    private static Process Forger(string socket)
    {
        const string body = "{\"processes\":[{\"name\":\"forged.1\",\"state\":\"running\",\"pid\":1}]}";
        const string script = """
            $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 8) or die "$!";
            $| = 1; print "listening\n";
            while ($c = $s->accept) {
                sysread($c, $in, 65536);
                print $c "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " . length($ARGV[1]) . "\r\n\r\n" . $ARGV[1];
                close $c;
            }
            """;
        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true };
        foreach (string a in new[] { $"--reuid={TestUser.Uid}", $"--regid={TestUser.Gid}", "--clear-groups", "perl", "-MIO::Socket::UNIX", "-e", script, socket, body })
        {
            info.ArgumentList.Add(a);
        }
        var p = Process.Start(info)!;
        Assert.Equal("listening", p.StandardOutput.ReadLine());
        return p;
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
