using System.Runtime.CompilerServices;
using System.Text;

namespace Drover.Export.Tests.Support;

/// <summary>
/// Exact-output snapshots: the expected files of each case live under Snapshots/NAME/ in the source tree, with
/// their modes in Snapshots/NAME.files. With UPDATE_SNAPSHOTS=1 the snapshots are rewritten from the output.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, IReadOnlyList<ExportFile> files)
    {
        string root = Path.Combine(ProjectDirectory(), "Snapshots");
        string dir = Path.Combine(root, name);
        string listing = Path.Combine(root, name + ".files");
        string actualListing = string.Concat(files.Select(f => $"{Convert.ToString((int)f.Mode, 8)} {f.Path}\n"));

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
            foreach (var file in files)
            {
                string path = Path.Combine(dir, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Content, new UTF8Encoding(false));
            }
            File.WriteAllText(listing, actualListing, new UTF8Encoding(false));
            return;
        }

        Assert.True(File.Exists(listing), $"no snapshot {listing}; run the tests with UPDATE_SNAPSHOTS=1 and review the files");
        Assert.Equal(File.ReadAllText(listing), actualListing);
        foreach (var file in files)
        {
            string expected = File.ReadAllText(Path.Combine(dir, file.Path));
            if (expected != file.Content)
            {
                Assert.Fail($"{name}/{file.Path} differs from its snapshot at {FirstDifference(expected, file.Content)} " +
                    "(UPDATE_SNAPSHOTS=1 rewrites it; review the diff)");
            }
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end>";
            string al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}";
            }
        }
        return "?";
    }

    // This file is Support/Snapshot.cs in the test project's source folder.
    private static string ProjectDirectory([CallerFilePath] string self = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(self)!)!;
}
