using BenchmarkDotNet.Attributes;
using Drover.Core.Procfile;

namespace Drover.Micro;

/// <summary>One parse of a realistic Procfile (12 lines) and .env (40 lines, quotes, expansion, a multi-line value).</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    [Benchmark]
    public int ProcfileParse()
    {
        var result = ProcfileParser.Parse(Inputs.Procfile, "Procfile");
        return result.Ok ? result.Value.Types.Count : throw new InvalidOperationException("the Procfile should parse");
    }

    [Benchmark]
    public int DotEnvParse()
    {
        var result = DotEnvParser.Parse(Inputs.DotEnv, ".env", Inputs.Lookup);
        return result.Ok ? result.Value.Count : throw new InvalidOperationException("the .env should parse");
    }
}
