namespace Drover.Bench.Tools;

/// <summary>
/// Drover, as a Native AOT binary or as the JIT build: <c>drover start -f Procfile -m a=1,...</c>, with
/// <paramref name="extra"/> options after those (<c>--tty always</c> for the pseudo-terminal column).
/// </summary>
internal sealed class DroverTool(string id, string display, string binary, string[]? extra = null) : Tool
{
    public override string Id => id;
    public override string Display => display;
    public override bool IsDrover => true;
    public string Binary => binary;
    public override string Version() => FirstLine(binary, "--version");

    public override LaunchSpec Prepare(Workload workload, string dir)
    {
        string formation = WriteProcfile(workload, dir);
        // Defaults otherwise: timestamps on, colors off (stdout is a pipe), -t 5, restart on-failure.
        return new LaunchSpec(binary, ["start", "-f", Path.Combine(dir, "Procfile"), "-m", formation, .. extra ?? []]);
    }
}
