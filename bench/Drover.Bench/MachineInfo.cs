namespace Drover.Bench;

/// <summary>What the report says about the machine.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Kernel, string Dotnet)
{
    public static MachineInfo Read()
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "?";
        string mem = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        double gib = long.Parse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024.0;
        string kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return new MachineInfo(cpu, Environment.ProcessorCount, gib, kernel, Environment.Version.ToString());
    }
}
