using BenchmarkDotNet.Attributes;
using Drover.Core.Output;

namespace Drover.Micro;

/// <summary>
/// The output path as `drover start` uses it: four processes' bytes, in 4 KiB reads that end mid-line, through one
/// <see cref="LineFramer"/> each into the <see cref="OutputHub"/>, which prefixes every line and writes to
/// <see cref="Stream.Null"/>. One operation is one line, so 1e9 / mean(ns) is lines per second.
/// </summary>
[MemoryDiagnoser]
public class OutputBenchmarks
{
    private const int Producers = 4;
    private const int LinesPerProducer = 50_000;
    private const int LineLength = 55;
    private const int ReadSize = 4096;

    private readonly byte[][] _data = new byte[Producers][];
    private readonly OutputSource[] _sources = new OutputSource[Producers];

    [Params(true, false)]
    public bool Timestamps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (int p = 0; p < Producers; p++)
        {
            _sources[p] = new OutputSource($"p{p + 1}.1", p);
            var data = new byte[LinesPerProducer * LineLength];
            for (int i = 0; i < LinesPerProducer; i++)
            {
                var line = data.AsSpan(i * LineLength, LineLength);
                line.Fill((byte)('a' + i % 26));
                line[^1] = (byte)'\n';
            }
            _data[p] = data;
        }
    }

    [Benchmark(OperationsPerInvoke = Producers * LinesPerProducer)]
    public async Task FramerToHub()
    {
        var hub = new OutputHub(Stream.Null, new PrefixFormatter(TimeProvider.System, color: false, Timestamps, nameWidth: 6));
        var framers = _sources.Select(s => new LineFramer(hub, s)).ToArray();
        for (int offset = 0; offset < LinesPerProducer * LineLength; offset += ReadSize)
        {
            for (int p = 0; p < Producers; p++)
            {
                int n = Math.Min(ReadSize, _data[p].Length - offset);
                if (!framers[p].Write(_data[p].AsSpan(offset, n)))
                {
                    await framers[p].WhenWritable().ConfigureAwait(false);
                }
            }
        }
        foreach (var f in framers)
        {
            f.Complete();
        }
        await hub.DisposeAsync().ConfigureAwait(false);
    }
}
