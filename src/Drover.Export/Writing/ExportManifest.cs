using System.Security.Cryptography;
using System.Text;
using Drover.Core.Diagnostics;

namespace Drover.Export.Writing;

/// <summary>
/// The record of what <c>drover export</c> wrote into a directory, kept in <see cref="FileName"/> there: one
/// tab-separated line per file (app, format, SHA-256, path). Several apps and formats can share a directory.
/// </summary>
public sealed class ExportManifest
{
    /// <summary>The manifest's file name in the output directory.</summary>
    public const string FileName = ".drover-export";

    private const string Header =
        "# Files written by `drover export`; exporting again replaces or removes only these. Do not edit.\n" +
        "# app\tformat\tsha256\tpath\n";

    /// <summary>Creates a manifest with <paramref name="entries"/>.</summary>
    public ExportManifest(IReadOnlyList<ManifestEntry> entries) => Entries = entries;

    /// <summary>The files, in the order they were written.</summary>
    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>The lowercase hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Reads the manifest of <paramref name="directory"/>; an empty one when there is none.</summary>
    /// <returns>The manifest, or a diagnostic when it exists but cannot be understood (then nothing is touched).</returns>
    public static Result<ExportManifest> Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Result<ExportManifest>.Success(new ExportManifest([]));
        }
        var entries = new List<ManifestEntry>();
        var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var fields = line.Split('\t');
            if (fields.Length != 4 || fields[0].Length == 0 || fields[1].Length == 0
                || fields[2].Split(',').Any(h => h.Length != 64) || ExportPaths.Problem(fields[3]) is not null)
            {
                return Result<ExportManifest>.Failure(new Diagnostic(path, i + 1, 0,
                    "not a line drover export wrote; fix or remove the manifest (then drover treats every file here as foreign)"));
            }
            entries.Add(new ManifestEntry(fields[0], fields[1], fields[2].Split(','), fields[3]));
        }
        return Result<ExportManifest>.Success(new ExportManifest(entries));
    }

    /// <summary>The manifest's text.</summary>
    public string Render()
    {
        var sb = new StringBuilder(Header);
        foreach (var e in Entries)
        {
            sb.Append(e.App).Append('\t').Append(e.Format).Append('\t').AppendJoin(',', e.Hashes).Append('\t')
                .Append(e.Path).Append('\n');
        }
        return sb.ToString();
    }
}
