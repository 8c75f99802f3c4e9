namespace Drover.Bench.Tools;

/// <summary>Foreman (Ruby, Debian's ruby-foreman): <c>foreman start -f Procfile -m a=1,...</c>.</summary>
internal sealed class Foreman : Tool
{
    public override string Id => "foreman";
    public override string Display => "Foreman";
    public override string Version() => FirstLine("foreman", "version");

    public override LaunchSpec Prepare(Workload workload, string dir)
    {
        string formation = WriteProcfile(workload, dir);
        return new LaunchSpec("foreman", ["start", "-f", Path.Combine(dir, "Procfile"), "-m", formation]);
    }
}
