using System.Globalization;
using Drover.Core.Formation;
using Drover.Core.Output;
using Drover.Core.Settings;
using Drover.Core.Supervision;
using Drover.Posix;

namespace Drover.Probes;

/// <summary>A supervisor over real processes, with settings built in code, writing its output nowhere.</summary>
internal sealed class Formation : IAsyncDisposable
{
    private readonly OutputHub _output = new(Stream.Null, new PrefixFormatter(TimeProvider.System, false, false, 12));

    public Formation(IEnumerable<(string Type, int Count, string Command, TypeSettings Settings)> types, SupervisorOptions? options = null)
    {
        var instances = new List<Instance>();
        int typeIndex = 0;
        foreach (var (type, count, command, settings) in types)
        {
            for (int k = 1; k <= count; k++)
            {
                var name = new InstanceName(type, k);
                int port = 20000 + 100 * typeIndex + k;
                var env = new Dictionary<string, string>
                {
                    ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
                    ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                };
                var spec = new ProcessSpec(name.ToString(), command, Path.GetTempPath(), env) { Port = port };
                instances.Add(new Instance(name, spec, new OutputSource(name.ToString(), typeIndex), BackoffOptions.Default) { Settings = settings });
            }
            typeIndex++;
        }
        Supervisor = new Supervisor(instances, new PosixProcessLauncher(reapOrphans: false), _output,
            options ?? SupervisorOptions.Default with { StopTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
        Running = Task.Run(Supervisor.RunAsync);
    }

    public Supervisor Supervisor { get; }

    public Task<int> Running { get; }

    public async ValueTask DisposeAsync()
    {
        Supervisor.RequestShutdown();
        await Running.WaitAsync(TimeSpan.FromSeconds(30));
        await _output.DisposeAsync();
    }
}
