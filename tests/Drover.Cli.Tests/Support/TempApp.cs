namespace Drover.Cli.Tests.Support;

/// <summary>
/// A fresh app directory for one test (Procfile, env files, sub-folders), deleted when disposed. Its path is
/// canonical (no symlinks), so it compares equal to what a child's <c>pwd -P</c> prints.
/// </summary>
internal sealed class TempApp : IDisposable
{
    private static readonly string Base = System.IO.Path.Combine(RealPath(System.IO.Path.GetTempPath()), "drover-cli-tests");

    private TempApp(string root)
    {
        Root = root;
    }

    /// <summary>The app's directory.</summary>
    public string Root { get; }

    /// <summary>Creates an empty app directory.</summary>
    public static TempApp Create()
    {
        string root = System.IO.Path.Combine(Base, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        return new TempApp(root);
    }

    /// <summary>Writes <c>Procfile</c>, one line each.</summary>
    public TempApp WithProcfile(params string[] lines) => WithFile("Procfile", lines);

    /// <summary>Writes <c>.env</c>, one line each.</summary>
    public TempApp WithEnv(params string[] lines) => WithFile(".env", lines);

    /// <summary>Writes a file (creating its folder), one line each, every line ending in '\n'.</summary>
    public TempApp WithFile(string relativePath, params string[] lines)
    {
        string path = PathOf(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return this;
    }

    /// <summary>Makes the files at <paramref name="relativePaths"/> executable (mode 0755).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public TempApp Executable(params string[] relativePaths)
    {
        foreach (string relativePath in relativePaths)
        {
            File.SetUnixFileMode(PathOf(relativePath), (UnixFileMode)0b111_101_101);
        }
        return this;
    }

    /// <summary>Creates an empty sub-folder.</summary>
    public TempApp WithFolder(string relativePath)
    {
        Directory.CreateDirectory(PathOf(relativePath));
        return this;
    }

    /// <summary>The absolute path of <paramref name="relativePath"/> inside the app.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    /// <summary>True when a file or folder exists at <paramref name="relativePath"/>.</summary>
    public bool Exists(string relativePath) => File.Exists(PathOf(relativePath)) || Directory.Exists(PathOf(relativePath));

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }

    /// <summary><paramref name="path"/> with every symlink along it resolved.</summary>
    private static string RealPath(string path)
    {
        string current = "/";
        foreach (string part in System.IO.Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = System.IO.Path.Combine(current, part);
            current = new DirectoryInfo(next).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
        }
        return current;
    }
}
