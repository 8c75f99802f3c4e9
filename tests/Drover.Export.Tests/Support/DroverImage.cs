namespace Drover.Export.Tests.Support;

/// <summary>
/// How to run <c>drover</c> inside a container of <see cref="Podman.Image"/>: the binary named by
/// <c>DROVER_BINARY</c> (the Native AOT build in the second pass of scripts/test.sh), mounted as
/// <c>/usr/local/bin/drover</c>; otherwise the JIT build of this configuration (src/Drover/bin/CONFIG/TFM) run by the
/// host's .NET, both mounted read-only.
/// </summary>
internal static class DroverImage
{
    private static readonly Lazy<(string[] Mounts, string[] Entrypoint)> Located = new(Locate);

    /// <summary><c>podman run</c> options that mount what is needed.</summary>
    public static string[] Mounts => Located.Value.Mounts;

    /// <summary>The command that runs drover inside; arguments follow.</summary>
    public static string[] Entrypoint => Located.Value.Entrypoint;

    private static (string[], string[]) Locate()
    {
        if (Environment.GetEnvironmentVariable("DROVER_BINARY") is { Length: > 0 } chosen)
        {
            string binary = File.Exists(chosen)
                ? Path.GetFullPath(chosen)
                : throw new InvalidOperationException($"DROVER_BINARY={chosen} does not exist");
            return (["-v", $"{binary}:/usr/local/bin/drover:ro"], ["/usr/local/bin/drover"]);
        }

        // AppContext.BaseDirectory is .../tests/Drover.Export.Tests/bin/CONFIG/TFM/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Drover.slnx")))
        {
            root = root.Parent;
        }
        string build = Path.Combine(root?.FullName ?? throw new InvalidOperationException($"no Drover.slnx above {output}"),
            "src", "Drover", "bin", output.Parent!.Name, output.Name);
        if (!File.Exists(Path.Combine(build, "drover.dll")))
        {
            throw new InvalidOperationException($"{build}/drover.dll does not exist: build src/Drover first");
        }
        string dotnet = new FileInfo(Commands.Find("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH"))
            .ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Commands.Find("dotnet")!;
        string dotnetRoot = Path.GetDirectoryName(dotnet)!;
        return (["-v", $"{build}:/opt/drover:ro", "-v", $"{dotnetRoot}:/opt/dotnet:ro"],
            ["/opt/dotnet/dotnet", "/opt/drover/drover.dll"]);
    }
}
