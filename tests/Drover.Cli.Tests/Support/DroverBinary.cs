namespace Drover.Cli.Tests.Support;

/// <summary>
/// Finds the <c>drover</c> binary built with the same configuration (Debug, Release) and target framework as this
/// test assembly: <c>src/Drover/bin/CONFIG/TFM/drover</c> under the repository root (the folder with Drover.slnx).
/// <c>DROVER_BINARY</c> names another one instead, e.g. the Native AOT build (the second pass of <c>scripts/test.sh</c>).
/// </summary>
internal static class DroverBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The absolute path of the apphost executable.</summary>
    public static string Path => Located.Value;

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("DROVER_BINARY") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) ? System.IO.Path.GetFullPath(chosen) : throw new InvalidOperationException($"DROVER_BINARY={chosen} does not exist");
        }

        // AppContext.BaseDirectory is .../tests/Drover.Cli.Tests/bin/CONFIG/TFM/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        string framework = output.Name;
        string configuration = output.Parent?.Name
            ?? throw new InvalidOperationException($"unexpected test output folder {output.FullName}");

        var root = output;
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Drover.slnx")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException($"no Drover.slnx above {output.FullName}: cannot find the repository root");
        }

        string binary = System.IO.Path.Combine(root.FullName, "src", "Drover", "bin", configuration, framework, "drover");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"{binary} does not exist: build src/Drover with -c {configuration} first (dotnet test builds it)");
        }
        return binary;
    }
}
