using Drover.Export.Systemd;
using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// The systemd export under a real systemd: a Debian rootfs (cached, see <see cref="DebianRootfs"/>) booted by
/// systemd-nspawn, the units exported into its /etc/systemd/system, driven with systemctl.
/// </summary>
public sealed class SystemdBootTests
{
    private const string App = "drovertest";

    // Everything an EnvironmentFile= in double quotes must carry: both quotes, '$' and '${}' (no expansion), '%'
    // (no specifiers), a backtick, a backslash, ' ;' and ' #', a tab and a newline.
    private const string Tricky = "it's a \"quoted\" 100% %i $HOME ${PORT} `date` \\ value ; # not a comment\n\tsecond line";

    // web: answers every connection on PORT with its user, PORT, PS, pid and TRICKY, then closes. perl-base is in
    // the rootfs; the drover binary is not needed there.
    private const string Web =
        "exec perl -MIO::Socket::INET -e '$| = 1; " +
        "my $s = IO::Socket::INET->new(LocalAddr => \"127.0.0.1\", LocalPort => $ENV{PORT}, Listen => 5, ReuseAddr => 1) " +
        "or die \"listen on $ENV{PORT}: $!\"; print \"$ENV{PS} listening on $ENV{PORT}\\n\"; " +
        "while (my $c = $s->accept) { print $c join(\"\\n\", scalar getpwuid($<), $ENV{PORT}, $ENV{PS}, $$, $ENV{TRICKY}); close $c }'";

    private const string Worker = "echo \"$PS up on $PORT\"; exec sleep 600";

    private const string Client =
        "my $c = IO::Socket::INET->new(PeerAddr => \"127.0.0.1\", PeerPort => $ARGV[0]) or exit 3; local $/; print <$c>";

    private sealed record Reply(string User, int Port, string Ps, int Pid, string Tricky);

    [RequiresCommandFact("mmdebstrap", "systemd-nspawn", "nsenter")]
    public void Systemd_booted_in_a_container_runs_the_target_restarts_a_killed_instance_starts_more_and_stops_everything()
    {
        using var machine = new NspawnMachine(DebianRootfs.Path);
        var request = Fixtures.Request(Fixtures.Procfile(("web", Web), ("worker", Worker)), "web=2,worker=1",
            new Dictionary<string, string> { ["TRICKY"] = Tricky }, user: DebianRootfs.User, root: "/", rootGiven: true,
            timeout: 2, basePort: 6000, app: App);
        var files = Exporters.Export("systemd", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));

        // As `drover export systemd /etc/systemd/system` run inside would: beside the units already there.
        string units = machine.HostPath("/etc/systemd/system");
        Assert.True(ExportWriter.Write(units, App, "systemd", files.Value).Ok);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(units, SystemdExporter.EnvironmentFileName(App))));
        Assert.Equal(ExportFile.Public, File.GetUnixFileMode(Path.Combine(units, "drovertest-web@.service")));

        machine.Check("systemctl", "daemon-reload");
        machine.Check("systemctl", "start", $"{App}.target");

        var web1 = Ask(machine, 6000);
        var web2 = Ask(machine, 6001);
        Assert.Equal(new Reply(DebianRootfs.User, 6000, "web.1", web1.Pid, Tricky), web1);
        Assert.Equal(new Reply(DebianRootfs.User, 6001, "web.2", web2.Pid, Tricky), web2);
        Assert.Equal("active", machine.Check("systemctl", "is-active", "drovertest-worker@1.service").Trim());

        // journald has each instance's output under its identifier.
        Wait.Until(() => Journal(machine, "drovertest-web.1").Contains("web.1 listening on 6000", StringComparison.Ordinal)
                && Journal(machine, "drovertest-worker.1").Contains("worker.1 up on 6100", StringComparison.Ordinal),
            "the output in the journal", context: () => machine.Check("journalctl", "--no-pager", "-n", "50"));

        // The values are in the 0600 file only: not in the units, so not in `systemctl show` either, and systemd
        // had no world-readable unit with values to warn about.
        string show = machine.Check("systemctl", "show", "drovertest-web@1.service");
        Assert.DoesNotContain("quoted", show, StringComparison.Ordinal);
        Assert.Contains("EnvironmentFiles=/etc/systemd/system/drovertest.env", show, StringComparison.Ordinal);
        Assert.DoesNotContain("world-inaccessible", machine.Check("journalctl", "--no-pager", "-b"), StringComparison.Ordinal);

        // A crash: SIGKILL to the main process. Restart=on-failure starts it again, on the same PORT.
        machine.Check("systemctl", "kill", "--kill-whom=main", "--signal=KILL", "drovertest-web@1.service");
        var restarted = Wait.For(() => TryAsk(machine, 6000) is { } r && r.Pid != web1.Pid ? r : null,
            "web.1 to be restarted", context: machine.Console);
        Assert.Equal(web1 with { Pid = restarted.Pid }, restarted);

        // An instance that was not exported: the template gives it its PORT and PS.
        machine.Check("systemctl", "start", "drovertest-web@7.service");
        var web7 = Ask(machine, 6006);
        Assert.Equal(new Reply(DebianRootfs.User, 6006, "web.7", web7.Pid, Tricky), web7);

        // Stopping the target stops every instance (PartOf=), the added one too, and leaves no process.
        machine.Check("systemctl", "stop", $"{App}.target");
        string active = machine.Check("systemctl", "list-units", "--no-legend", "--plain", "--state=active,activating,deactivating",
            "drovertest-*");
        Assert.Equal("", active.Trim());
        var (pgrep, left, _) = machine.Exec(["pgrep", "-a", "-u", DebianRootfs.User]);
        Assert.True(pgrep == 1, $"processes left as {DebianRootfs.User}:\n{left}");
    }

    // Prints a moment for each step, to the journal, and exits cleanly on its stop signal: `sleep & wait` lets the
    // shell run its trap at once.
    private static string Stepper(string signal) =>
        $"trap 'echo \"stopping $(date +%s.%N) on {signal}\"; exit 0' {signal}; echo \"started $(date +%s.%N)\"; sleep 600 & wait";

    [RequiresCommandFact("mmdebstrap", "systemd-nspawn", "nsenter")]
    public void Systemd_starts_a_type_after_what_it_depends_on_and_stops_it_first_with_its_own_stop_signal()
    {
        using var machine = new NspawnMachine(DebianRootfs.Path);
        var settings = Drover.Core.Settings.Parsing.SettingsParser.Parse("""
            processes:
              db:
                shutdown: {signal: SIGINT, timeout_seconds: 30}
              worker:
                depends_on:
                  db: {condition: process_started}
            """, "drover.yaml");
        Assert.True(settings.Ok, string.Join("\n", settings.Errors));
        var request = Fixtures.Request(Fixtures.Procfile(("db", Stepper("INT")), ("worker", Stepper("TERM"))), "db=1,worker=2",
            new Dictionary<string, string>(), user: DebianRootfs.User, root: "/", rootGiven: true, timeout: 30, basePort: 6000, app: App)
            with { Settings = settings.Value };
        var files = Exporters.Export("systemd", request);
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(machine.HostPath("/etc/systemd/system"), App, "systemd", files.Value).Ok);

        machine.Check("systemctl", "daemon-reload");
        machine.Check("systemctl", "start", $"{App}.target");
        string[] instances = ["drovertest-db.1", "drovertest-worker.1", "drovertest-worker.2"];
        Assert.All(instances, i => WaitForMoment(machine, i, "started"));
        // process_started: systemd forks a worker only once db's exec succeeded (Type=exec). Its own record of the
        // fork, since the shells' first lines may come in any order once both run.
        long Forked(string unit) => long.Parse(machine.Check("systemctl", "show", "-p", "ExecMainStartTimestampMonotonic", "--value", unit).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        long db = Forked("drovertest-db@1.service");
        Assert.True(Forked("drovertest-worker@1.service") > db, "worker.1 was forked before db.1");
        Assert.True(Forked("drovertest-worker@2.service") > db, "worker.2 was forked before db.1");

        // The stop job of each worker completes before db's starts (After= reversed), and db gets its own signal
        // (KillSignal=SIGINT): with a 30 s timeout, SIGKILL would show as a missing "stopping" line.
        machine.Check("systemctl", "stop", $"{App}.target");
        var stopping = instances.ToDictionary(i => i, i => WaitForMoment(machine, i, "stopping"));
        Assert.All(instances[1..], w => Assert.True(stopping[w] <= stopping[instances[0]], $"db.1 was stopped before {w}"));
        Assert.Contains(" on INT", Journal(machine, instances[0]), StringComparison.Ordinal);
        Assert.All(instances[1..], w => Assert.Contains(" on TERM", Journal(machine, w), StringComparison.Ordinal));
        Assert.Equal("", machine.Check("systemctl", "list-units", "--no-legend", "--plain", "--state=active,activating,deactivating",
            "drovertest-*").Trim());
    }

    /// <summary>The moment <paramref name="identifier"/> printed for <paramref name="what"/> (seconds since the epoch).</summary>
    private static double WaitForMoment(NspawnMachine machine, string identifier, string what) =>
        Wait.ForValue(() => Moments.Of(Journal(machine, identifier), what),
            $"{identifier} to print \"{what}\"", context: () => machine.Check("journalctl", "--no-pager", "-n", "50"));

    private static string Journal(NspawnMachine machine, string identifier) =>
        machine.Check("journalctl", "--no-pager", "-o", "cat", "-t", identifier);

    private static Reply Ask(NspawnMachine machine, int port) =>
        Wait.For(() => TryAsk(machine, port), $"an answer on port {port}", context: machine.Console);

    private static Reply? TryAsk(NspawnMachine machine, int port)
    {
        var (code, stdout, _) = machine.Exec(["perl", "-MIO::Socket::INET", "-e", Client, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (code != 0)
        {
            return null;
        }
        var parts = stdout.Split('\n', 5);
        return parts.Length == 5
            ? new Reply(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2],
                int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), parts[4])
            : null;
    }
}
