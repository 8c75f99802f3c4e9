using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// docker-compose 1.29 (Debian's package) and Compose v2 validate the Compose export against their schemas with
/// <c>config</c>, which needs no engine (running it is in <see cref="DockerComposeTests"/>).
/// </summary>
public sealed class DockerComposeConfigTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static (int Code, string Output) Config(string file, ComposeTool? compose = null)
    {
        var (code, stdout, stderr) = (compose ?? ComposeTool.V1).Run(["-f", file, "-p", "myapp", "config"]);
        return (code, stdout + stderr);
    }

    [RequiresComposeFact("v1")]
    public void Docker_compose_1_29_accepts_the_export_and_reads_replicas_init_and_the_escaped_values() => Accepts(ComposeTool.V1);

    [RequiresComposeFact("v2")]
    public void Compose_v2_accepts_the_export_and_reads_replicas_init_and_the_escaped_values() => Accepts(ComposeTool.V2);

    private void Accepts(ComposeTool compose)
    {
        var files = Exporters.Export("compose", Fixtures.Request(image: "registry.example/myapp:1.4"));
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(_tmp.Path, "myapp", "compose", files.Value).Ok);

        var (code, output) = Config(_tmp.Combine("compose.yaml"), compose);

        Assert.True(code == 0, output);
        Assert.Contains("replicas: 2", output, StringComparison.Ordinal);
        Assert.Contains("init: true", output, StringComparison.Ordinal);
        Assert.Contains("order: start-first", output, StringComparison.Ordinal);
        // `config` prints values with '$' escaped again as '$$': the file's '$$HOME' is the value '$HOME'.
        Assert.Contains("$$HOME", output, StringComparison.Ordinal);
    }

    [RequiresComposeFact("v1")]
    public void The_check_itself_notices_a_top_level_name()
    {
        // Guards the test above: the Compose v2 `name:` that earlier exports had is rejected by 1.29.
        var files = Exporters.Export("compose", Fixtures.Request(image: "registry.example/myapp:1.4"));
        string file = _tmp.Combine("compose.yaml");
        File.WriteAllText(file, "name: \"myapp\"\n" + files.Value.Single().Content);

        var (code, output) = Config(file);

        Assert.NotEqual(0, code);
        Assert.Contains("'name' does not match", output, StringComparison.Ordinal);
    }
}
