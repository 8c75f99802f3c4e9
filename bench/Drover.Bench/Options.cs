namespace Drover.Bench;

/// <summary>Command-line options of the harness; see <see cref="Usage"/>.</summary>
internal sealed class Options
{
    public const string Usage = """
        dotnet run -c Release --project bench/Drover.Bench -- [options]
          --drover PATH        the Native AOT drover binary (required)
          --drover-jit PATH    the JIT drover (framework-dependent apphost); omitted: not measured
          --drover-also N=PATH another drover binary, column "Drover (N)", tool id drover-N (repeatable): a
                               before/after comparison of two builds in one run
          --drover-pty N=PATH  a drover binary run with `--tty always` (a pseudo-terminal per process), column
                               "Drover (N, PTY)", tool id drover-pty-N (repeatable)
          --nf PATH            node-foreman's nf; omitted: not measured
          --pm2-runtime PATH   PM2's pm2-runtime; omitted: not measured
          --tools a,b          only these tool ids (none, drover, drover-jit, foreman, node-foreman, pm2, supervisord)
          --measures a,b       only these measures (check, start, throughput, crash, stubborn, kill9)
          --reps N             repetitions of start/stop/RSS (default 5)
          --heavy-reps N       repetitions of throughput, crash, stubborn and kill -9 (default 3)
          --out FILE           the markdown report (default docs/benchmarks.md)
          --svg FILE           the chart (default: the report's folder, benchmarks.svg)
          --json FILE          raw results (default bench/.out/results.json)
          --micro FILE         BenchmarkDotNet summary to embed (markdown), if it exists
          --note FILE          build notes to embed (e.g. how the AOT binary was published), if it exists
          --command TEXT       the command shown in the report (default "bash bench/run.sh")
          --observations FILE  hand-written observations to embed (markdown), if it exists
          --render-only        measure nothing: render the report and chart again from the --json file
          --merge FILE         an earlier results file: every tool/measure not measured in this run (see --tools,
                               --measures) is taken from it, and the report says so
        """;

    public string? Drover { get; private set; }
    public string? DroverJit { get; private set; }
    public List<(string Name, string Path)> DroverAlso { get; } = [];
    public List<(string Name, string Path)> DroverPty { get; } = [];
    public string? Nf { get; private set; }
    public string? Pm2Runtime { get; private set; }
    public HashSet<string>? Tools { get; private set; }
    public HashSet<string>? Measures { get; private set; }
    public int Reps { get; internal set; } = 5;
    public int HeavyReps { get; internal set; } = 3;
    public string? Observations { get; private set; }
    public bool RenderOnly { get; private set; }
    public string? Merge { get; private set; }
    public string Out { get; private set; } = "docs/benchmarks.md";
    public string? Svg { get; private set; }
    public string Json { get; private set; } = "bench/.out/results.json";
    public string? Micro { get; private set; }
    public string? Note { get; private set; }
    public string Command { get; private set; } = "bash bench/run.sh";

    public bool Wants(string measure) => Measures is null || Measures.Contains(measure);

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--drover": o.Drover = Path.GetFullPath(Next()); break;
                case "--drover-jit": o.DroverJit = Path.GetFullPath(Next()); break;
                case "--drover-also":
                    string[] also = Next().Split('=', 2);
                    o.DroverAlso.Add(also.Length == 2 ? (also[0], Path.GetFullPath(also[1])) : throw new ArgumentException("--drover-also needs NAME=PATH"));
                    break;
                case "--drover-pty":
                    string[] pty = Next().Split('=', 2);
                    o.DroverPty.Add(pty.Length == 2 ? (pty[0], Path.GetFullPath(pty[1])) : throw new ArgumentException("--drover-pty needs NAME=PATH"));
                    break;
                case "--nf": o.Nf = Path.GetFullPath(Next()); break;
                case "--pm2-runtime": o.Pm2Runtime = Path.GetFullPath(Next()); break;
                case "--tools": o.Tools = [.. Next().Split(',')]; break;
                case "--measures": o.Measures = [.. Next().Split(',')]; break;
                case "--reps": o.Reps = int.Parse(Next()); break;
                case "--heavy-reps": o.HeavyReps = int.Parse(Next()); break;
                case "--out": o.Out = Next(); break;
                case "--svg": o.Svg = Next(); break;
                case "--json": o.Json = Next(); break;
                case "--micro": o.Micro = Next(); break;
                case "--note": o.Note = Next(); break;
                case "--command": o.Command = Next(); break;
                case "--observations": o.Observations = Next(); break;
                case "--render-only": o.RenderOnly = true; break;
                case "--merge": o.Merge = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Drover is null && !o.RenderOnly)
        {
            throw new ArgumentException("--drover is required");
        }
        o.Svg ??= Path.Combine(Path.GetDirectoryName(o.Out) ?? ".", "benchmarks.svg");
        return o;
    }
}
