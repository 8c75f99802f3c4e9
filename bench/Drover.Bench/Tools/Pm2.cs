using System.Text.Json;

namespace Drover.Bench.Tools;

/// <summary>
/// PM2 in the foreground (<c>pm2-runtime start ecosystem.config.js</c>), with its own PM2_HOME in the run's temp
/// directory so it never meets another PM2. Each type is an app in fork mode with <c>instances</c> = count, the
/// command run without an interpreter.
/// </summary>
internal sealed class Pm2(string runtime) : Tool
{
    public override string Id => "pm2";
    public override string Display => "PM2";
    public override string Version() => FirstLine(runtime, "--version");

    public override LaunchSpec Prepare(Workload workload, string dir)
    {
        var apps = workload.Types.Select(t => new Dictionary<string, object>
        {
            ["name"] = t.Name,
            ["script"] = t.Argv[0],
            ["args"] = t.Argv.Skip(1).ToArray(),
            ["interpreter"] = "none",
            ["exec_mode"] = "fork",
            ["instances"] = t.Count,
            ["cwd"] = dir,
        });
        string json = JsonSerializer.Serialize(new Dictionary<string, object> { ["apps"] = apps });
        string config = Path.Combine(dir, "ecosystem.config.js");
        File.WriteAllText(config, $"module.exports = {json};\n");
        var home = Path.Combine(dir, "pm2home");
        Directory.CreateDirectory(home);
        return new LaunchSpec(runtime, ["start", config], new Dictionary<string, string> { ["PM2_HOME"] = home });
    }
}
