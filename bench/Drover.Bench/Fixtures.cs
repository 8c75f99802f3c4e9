using System.Diagnostics;

namespace Drover.Bench;

/// <summary>
/// The programs the workloads run, written once per harness run into a temp directory: a log generator (perl),
/// a crashing program (C, so its own start-up does not blur a millisecond measure), a stubborn program that
/// ignores SIGTERM and spawns grandchildren (perl), and a shell that spawns grandchildren.
/// </summary>
internal sealed class Fixtures : IDisposable
{
    public const int LinesPerProcess = 500_000;
    public const int LineLength = 55;
    public const int Producers = 4;

    private Fixtures(string dir) => Dir = dir;

    public string Dir { get; }
    public string Generator => Path.Combine(Dir, "gen.pl");
    public string Stubborn => Path.Combine(Dir, "stubborn.pl");
    public string Grandchildren => Path.Combine(Dir, "grandchildren.sh");
    public string Crash => Path.Combine(Dir, "crash");
    public string Data(int producer) => Path.Combine(Dir, $"lines{producer}.txt");

    public static Fixtures Create()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"drover-bench-fixtures-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var f = new Fixtures(dir);
        File.WriteAllText(f.Generator, GeneratorSource);
        File.WriteAllText(f.Stubborn, StubbornSource);
        File.WriteAllText(f.Grandchildren, "sleep 3600 & sleep 3600 & wait\n");
        File.WriteAllText(Path.Combine(dir, "crash.c"), CrashSource);
        Compile(Path.Combine(dir, "crash.c"), f.Crash);
        for (int p = 1; p <= Producers; p++)
        {
            WriteData(f.Data(p), p);
        }
        return f;
    }

    /// <summary>
    /// The <paramref name="seq"/>-th line (1-based) of producer <paramref name="producer"/>, 55 bytes with its newline:
    /// <c>@@P1 000000001 bcdef...##</c>; the filler depends on the sequence number so any damage is visible.
    /// </summary>
    public static void FormatLine(Span<byte> line, int producer, int seq)
    {
        line[0] = (byte)'@';
        line[1] = (byte)'@';
        line[2] = (byte)'P';
        line[3] = (byte)('0' + producer);
        line[4] = (byte)' ';
        int v = seq;
        for (int i = 13; i >= 5; i--)
        {
            line[i] = (byte)('0' + v % 10);
            v /= 10;
        }
        line[14] = (byte)' ';
        for (int k = 0; k < FillerLength; k++)
        {
            line[15 + k] = Filler(seq, k);
        }
        line[52] = (byte)'#';
        line[53] = (byte)'#';
        line[54] = (byte)'\n';
    }

    public const int FillerLength = 37;

    public static byte Filler(int seq, int k) => (byte)('a' + (seq + k) % 26);

    private static void WriteData(string path, int producer)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var line = new byte[LineLength];
        for (int seq = 1; seq <= LinesPerProcess; seq++)
        {
            FormatLine(line, producer, seq);
            file.Write(line);
        }
    }

    private static void Compile(string source, string output)
    {
        var psi = new ProcessStartInfo("cc") { RedirectStandardError = true };
        foreach (var a in new[] { "-O2", "-o", output, source })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"cc failed: {err}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Copies a data file to stdout in 4096-byte writes (55-byte lines, so writes end mid-line), writes a marker
    // file when done, then stays up like a service until it is stopped.
    private const string GeneratorSource = """
        use strict; use warnings;
        my ($data, $done) = @ARGV;
        open(my $in, '<:raw', $data) or die "$data: $!";
        my $buf;
        while (my $n = sysread($in, $buf, 4096)) {
            my $off = 0;
            while ($off < $n) {
                my $w = syswrite(STDOUT, $buf, $n - $off, $off);
                die "write: $!" unless defined $w;
                $off += $w;
            }
        }
        open(my $d, '>', $done) or die "$done: $!"; close($d);
        sleep 1 while 1;
        """;

    // Ignores SIGTERM (and so do its children: an ignored signal stays ignored across exec), starts two
    // grandchildren, and waits forever.
    private const string StubbornSource = """
        $SIG{TERM} = 'IGNORE';
        for (1 .. 2) {
            my $pid = fork();
            die "fork: $!" unless defined $pid;
            if ($pid == 0) { exec('sleep', '3600'); exit 127; }
        }
        sleep 1 while 1;
        """;

    // Appends "S <monotonic ns>" at start and "E <monotonic ns>" just before exiting with 1 after 0.1 s.
    private const string CrashSource = """
        #include <fcntl.h>
        #include <stdio.h>
        #include <time.h>
        #include <unistd.h>
        static void stamp(int fd, char what) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            char line[64];
            int n = snprintf(line, sizeof line, "%c %lld\n", what, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
            if (write(fd, line, n) != n) _exit(2);
        }
        int main(int argc, char **argv) {
            if (argc < 2) return 2;
            int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0644);
            if (fd < 0) return 2;
            stamp(fd, 'S');
            struct timespec wait = { 0, 100000000 };
            nanosleep(&wait, NULL);
            stamp(fd, 'E');
            _exit(1);
        }
        """;
}
