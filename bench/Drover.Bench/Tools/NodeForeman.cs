namespace Drover.Bench.Tools;

/// <summary>node-foreman (npm <c>foreman</c>): <c>nf start -j Procfile a=1,...</c>.</summary>
internal sealed class NodeForeman(string nf) : Tool
{
    public override string Id => "node-foreman";
    public override string Display => "node-foreman";
    public override string Version() => FirstLine(nf, "--version");

    public override LaunchSpec Prepare(Workload workload, string dir)
    {
        string formation = WriteProcfile(workload, dir);
        return new LaunchSpec(nf, ["-j", Path.Combine(dir, "Procfile"), "start", formation]);
    }
}
