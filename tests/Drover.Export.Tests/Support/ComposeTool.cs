namespace Drover.Export.Tests.Support;

/// <summary>
/// The two Compose implementations the tests run the export under: docker-compose 1.29 (Debian 12's Python
/// program) and Compose v2 (the Go `docker compose` CLI plugin, Debian 13's package, which scripts/test.sh unpacks
/// into /usr/local/lib/docker/cli-plugins since Debian 12 has none).
/// </summary>
internal sealed record ComposeTool(string Name, string Program, string[] Prefix, char Separator)
{
    /// <summary>docker-compose 1.29: containers are named <c>PROJECT_SERVICE_N</c>.</summary>
    public static readonly ComposeTool V1 = new("docker-compose 1.29", "docker-compose", [], '_');

    /// <summary>Compose v2: containers are named <c>PROJECT-SERVICE-N</c>.</summary>
    public static readonly ComposeTool V2 = new("Compose v2", "docker", ["compose"], '-');

    /// <summary>The implementation by its short name (the tests' theory data).</summary>
    public static ComposeTool Named(string version) => version == "v2" ? V2 : V1;

    /// <summary>Runs <c>compose ARGS</c>.</summary>
    public (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Commands.Run(Program, [.. Prefix, .. args], TimeSpan.FromMinutes(3), env);

    /// <summary>The container of replica <paramref name="index"/> of <paramref name="service"/>.</summary>
    public string Container(string project, string service, int index) => $"{project}{Separator}{service}{Separator}{index}";

    // Asked once per implementation: every test attribute and every Dispose asks again.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> Checked = new(StringComparer.Ordinal);

    /// <summary>Why a test of this implementation is skipped; null when it is installed.</summary>
    public string? Missing() => Checked.GetOrAdd(Name, _ => Check());

    private string? Check()
    {
        if (MissingCommands.Reason([Program]) is { } reason)
        {
            return reason;
        }
        return Prefix.Length == 0 || Run(["version"]).Code == 0
            ? null
            : $"not installed: {Name} (`docker compose version` fails; scripts/test.sh installs the plugin)";
    }
}
