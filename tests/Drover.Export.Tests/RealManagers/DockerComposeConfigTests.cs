using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests.RealManagers;

/// <summary>
/// docker-compose 1.29 (Debian's package) validates the Compose export against its schema with
/// <c>docker-compose config</c>, which needs no engine (running it is in <see cref="DockerComposeTests"/>).
/// </summary>
public sealed class DockerComposeConfigTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static (int Code, string Output) Config(string file)
    {
        var (code, stdout, stderr) = Commands.Run("docker-compose", ["-f", file, "-p", "myapp", "config"], TimeSpan.FromMinutes(1));
        return (code, stdout + stderr);
    }

    [RequiresCommandFact("docker-compose")]
    public void Docker_compose_1_29_accepts_the_export_and_reads_replicas_init_and_the_escaped_values()
    {
        var files = Exporters.Export("compose", Fixtures.Request(image: "registry.example/myapp:1.4"));
        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Assert.True(ExportWriter.Write(_tmp.Path, "myapp", "compose", files.Value).Ok);

        var (code, output) = Config(_tmp.Combine("compose.yaml"));

        Assert.True(code == 0, output);
        Assert.Contains("replicas: 2", output, StringComparison.Ordinal);
        Assert.Contains("init: true", output, StringComparison.Ordinal);
        Assert.Contains("order: start-first", output, StringComparison.Ordinal);
        // `config` prints values with '$' escaped again as '$$': the file's '$$HOME' is the value '$HOME'.
        Assert.Contains("$$HOME", output, StringComparison.Ordinal);
    }

    [RequiresCommandFact("docker-compose")]
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
