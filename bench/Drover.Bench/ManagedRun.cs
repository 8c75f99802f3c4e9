using System.Collections.Concurrent;
using System.Diagnostics;
using Drover.Bench.Tools;

namespace Drover.Bench;

/// <summary>
/// One launch of a manager on a workload, in a fresh temp directory and its own session (<c>setsid</c>, which
/// execs in place, so the pid is the manager's). Disposing it kills every process of the run with SIGKILL, found
/// by its tag, waits until they are gone (bounded) and removes the directory.
/// </summary>
internal sealed class ManagedRun : IDisposable
{
    private static readonly ConcurrentDictionary<ManagedRun, byte> Active = new();
    private static int _counter;

    private readonly Process _process;
    private readonly Thread? _drain;
    private readonly Queue<string> _stderrTail = new();

    private ManagedRun(Tool tool, Workload workload, string dir, string tag, Action<Stream>? stdoutReader)
    {
        Tool = tool;
        Dir = dir;
        Scanner = new ProcScanner(tag);
        var spec = tool.Prepare(workload, dir);
        var psi = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(spec.FileName);
        foreach (var a in spec.Args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment[ProcScanner.TagVariable] = tag;
        foreach (var (k, v) in spec.Env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        Active[this] = 0;
        StartTimestamp = Stopwatch.GetTimestamp();
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {spec.FileName}");
        Pid = _process.Id;
        var stdout = _process.StandardOutput.BaseStream;
        _drain = new Thread(() =>
        {
            if (stdoutReader is not null)
            {
                stdoutReader(stdout);
            }
            else
            {
                stdout.CopyTo(Stream.Null);
            }
        }) { IsBackground = true, Name = "stdout" };
        _drain.Start();
        var stderr = new Thread(() =>
        {
            try
            {
                while (_process.StandardError.ReadLine() is { } line)
                {
                    lock (_stderrTail)
                    {
                        _stderrTail.Enqueue(line);
                        if (_stderrTail.Count > 20)
                        {
                            _stderrTail.Dequeue();
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
        }) { IsBackground = true, Name = "stderr" };
        stderr.Start();
    }

    public Tool Tool { get; }
    public string Dir { get; }
    public ProcScanner Scanner { get; }
    public int Pid { get; }

    /// <summary>Stopwatch timestamp taken just before the manager was started.</summary>
    public long StartTimestamp { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Seconds since the launch.</summary>
    public double Elapsed => Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds;

    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return string.Join(" / ", _stderrTail);
            }
        }
    }

    /// <summary>Starts <paramref name="tool"/> on <paramref name="workload"/>, its stdout read by <paramref name="stdoutReader"/> or discarded.</summary>
    public static ManagedRun Start(Tool tool, Workload workload, Action<Stream>? stdoutReader = null)
    {
        int n = Interlocked.Increment(ref _counter);
        string tag = $"{Environment.ProcessId}-{n}-{Guid.NewGuid():N}";
        string dir = Path.Combine(Path.GetTempPath(), $"drover-bench-{tag[..Math.Min(tag.Length, 24)]}");
        Directory.CreateDirectory(dir);
        return new ManagedRun(tool, workload, dir, tag, stdoutReader);
    }

    /// <summary>Sends a signal to the manager only.</summary>
    public void Signal(int signal) => Libc.Kill(Pid, signal);

    /// <summary>Waits, polling every millisecond, until <paramref name="condition"/> holds or the timeout passes.</summary>
    public static bool Poll(Func<bool> condition, TimeSpan timeout, int intervalMs = 1)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            if (condition())
            {
                return true;
            }
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                return false;
            }
            Thread.Sleep(intervalMs);
        }
    }

    /// <summary>Kills everything of this run that is still there.</summary>
    public void Dispose()
    {
        if (!Active.TryRemove(this, out _))
        {
            return;
        }
        KillAll(Scanner);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            _process.WaitForExit(5000);
            _process.StandardInput.Close();
        }
        catch (InvalidOperationException)
        {
        }
        catch (IOException)
        {
        }
        _drain?.Join(TimeSpan.FromSeconds(5));
        _process.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Clean-up on the way out (Ctrl-C, an exception): every run still active is killed.</summary>
    public static void DisposeAll()
    {
        foreach (var run in Active.Keys)
        {
            run.Dispose();
        }
        int stray = ProcScanner.KillByTagPrefix($"{Environment.ProcessId}-");
        if (stray > 0)
        {
            Console.Error.WriteLine($"warning: killed {stray} stray processes of this harness");
        }
    }

    private static void KillAll(ProcScanner scanner)
    {
        for (int round = 0; round < 100; round++)
        {
            var alive = scanner.Scan().Where(p => p.Alive).ToList();
            if (alive.Count == 0)
            {
                return;
            }
            foreach (var p in alive)
            {
                Libc.Kill(p.Pid, Libc.SigKill);
            }
            Thread.Sleep(50);
        }
        Console.Error.WriteLine($"warning: processes of run {scanner.Tag} survived SIGKILL for 5 s");
    }
}
