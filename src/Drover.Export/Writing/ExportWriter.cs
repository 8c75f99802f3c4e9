using System.Text;
using Drover.Core.Diagnostics;

namespace Drover.Export.Writing;

/// <summary>
/// Writes an exporter's files into the output directory. Everything is checked before anything is written: a
/// file Drover did not write (or that was changed since) is never overwritten or removed, and then nothing at all
/// is written. Each file is staged next to its target and renamed over it, so no file is ever half-written.
/// </summary>
public static class ExportWriter
{
    /// <summary>The suffix of staged files, which exporters may not use.</summary>
    public const string TempSuffix = ".drover-tmp";

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Writes <paramref name="files"/> for <paramref name="app"/> in <paramref name="format"/>.</summary>
    /// <param name="directory">The output directory; created when missing.</param>
    /// <param name="app">The app, to tell this export's earlier files from other apps' in the same directory.</param>
    /// <param name="format">The format, likewise.</param>
    /// <param name="files">What to write; Drover's earlier files for this app and format not among them are removed.</param>
    /// <returns>What was done, or the conflicts that stopped it (nothing was written then).</returns>
    /// <exception cref="IOException">Reading or writing failed; staged files are removed, targets untouched.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied; likewise.</exception>
    public static Result<ExportReport> Write(string directory, string app, string format, IReadOnlyList<ExportFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            if (ExportPaths.Problem(file.Path) is { } problem)
            {
                throw new ArgumentException($"exporter produced the path '{file.Path}', which {problem}", nameof(files));
            }
        }
        string root = Path.GetFullPath(directory);
        if (File.Exists(root))
        {
            return Result<ExportReport>.Failure(new Diagnostic(root, 0, 0, "the output directory is a file"));
        }
        // Nothing is read, written or removed through a symbolic link Drover did not make (a planted one could point
        // anywhere, e.g. at a system file): such a link where a file or its folder would go stops the export.
        foreach (string own in new[] { ExportManifest.FileName, ExportManifest.FileName + TempSuffix })
        {
            if (IsLink(Path.Combine(root, own)))
            {
                return Result<ExportReport>.Failure(LinkError(Path.Combine(root, own)));
            }
        }
        var manifest = ExportManifest.Read(root);
        if (!manifest.Ok)
        {
            return Result<ExportReport>.Failure(manifest.Errors);
        }

        var mine = manifest.Value.Entries.Where(e => e.App == app && e.Format == format)
            .ToDictionary(e => e.Path, StringComparer.Ordinal);
        var others = manifest.Value.Entries.Where(e => !(e.App == app && e.Format == format)).ToList();
        var newPaths = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var stale = mine.Values.Where(e => !newPaths.Contains(e.Path)).ToList();

        var errors = new List<Diagnostic>();
        foreach (var file in files)
        {
            CheckTarget(root, file.Path, mine, others, errors);
        }
        var removable = new List<ManifestEntry>();
        foreach (var entry in stale)
        {
            if (CheckStale(root, entry, errors))
            {
                removable.Add(entry);
            }
        }
        if (errors.Count > 0)
        {
            return Result<ExportReport>.Failure(errors);
        }

        var newEntries = files
            .Select(f => new ManifestEntry(app, format, [ExportManifest.Hash(Utf8.GetBytes(f.Content))], f.Path))
            .ToList();
        var staged = Stage(root, files);
        try
        {
            // While files are being renamed, either version of each one is Drover's.
            var transition = newEntries
                .Select(e => mine.TryGetValue(e.Path, out var old) ? e with { Hashes = [.. e.Hashes, .. old.Hashes] } : e)
                .Concat(stale);
            WriteManifest(root, new ExportManifest([.. others, .. transition]));
            foreach (var (temp, target) in staged)
            {
                File.Move(temp, target, overwrite: true);
            }
            staged.Clear();
        }
        finally
        {
            foreach (var (temp, _) in staged)
            {
                File.Delete(temp);
            }
        }

        foreach (var entry in removable)
        {
            File.Delete(ExportPaths.Full(root, entry.Path));
            RemoveEmptyParents(root, entry.Path);
        }
        WriteManifest(root, new ExportManifest([.. others, .. newEntries]));
        return Result<ExportReport>.Success(new ExportReport(
            root, [.. files.Select(f => f.Path)], [.. removable.Select(e => e.Path)]));
    }

    private static void CheckTarget(
        string root, string path, Dictionary<string, ManifestEntry> mine, List<ManifestEntry> others, List<Diagnostic> errors)
    {
        string full = ExportPaths.Full(root, path);
        if (others.FirstOrDefault(e => e.Path == path) is { } other)
        {
            errors.Add(new Diagnostic(full, 0, 0,
                $"drover export wrote this file for app '{other.App}' in format '{other.Format}'; " +
                "use another output directory, or another app name"));
            return;
        }
        if (LinkOnTheWay(root, path) is { } link)
        {
            errors.Add(LinkError(link));
            return;
        }
        if (IsLink(full + TempSuffix))
        {
            errors.Add(LinkError(full + TempSuffix));
            return;
        }
        // Each folder on the way must be a folder (or not exist yet).
        string[] parts = path.Split('/');
        for (int i = 1; i < parts.Length; i++)
        {
            string dir = ExportPaths.Full(root, string.Join('/', parts[..i]));
            if (Exists(dir) && !Directory.Exists(dir))
            {
                errors.Add(new Diagnostic(dir, 0, 0, "is in the way: drover export needs a directory here and did not write this file"));
                return;
            }
        }
        if (!Exists(full))
        {
            return;
        }
        if (Directory.Exists(full))
        {
            errors.Add(new Diagnostic(full, 0, 0, "is a directory where drover export writes a file; move it away"));
        }
        else if (!mine.TryGetValue(path, out var entry))
        {
            errors.Add(new Diagnostic(full, 0, 0,
                "exists and was not written by drover export; move it away or choose another output directory"));
        }
        else if (!entry.Hashes.Contains(HashOf(full), StringComparer.Ordinal))
        {
            errors.Add(new Diagnostic(full, 0, 0,
                "was changed since drover export wrote it; move it away (or delete it) to export again"));
        }
    }

    // True when the stale file is there to remove; a missing one needs nothing.
    private static bool CheckStale(string root, ManifestEntry entry, List<Diagnostic> errors)
    {
        string full = ExportPaths.Full(root, entry.Path);
        if (LinkOnTheWay(root, entry.Path) is { } link)
        {
            // Removing through it could remove a file outside the output directory whose content happens to match.
            errors.Add(LinkError(link));
            return false;
        }
        if (!Exists(full))
        {
            return false;
        }
        if (Directory.Exists(full) || !entry.Hashes.Contains(HashOf(full), StringComparer.Ordinal))
        {
            errors.Add(new Diagnostic(full, 0, 0,
                "drover export wrote this file earlier but it was changed since, and this export no longer produces it; " +
                "move it away (or delete it) to export again"));
            return false;
        }
        return true;
    }

    // Writes every file to a temporary name beside its target, so the renames that follow cannot fail for space.
    private static List<(string Temp, string Target)> Stage(string root, IReadOnlyList<ExportFile> files)
    {
        var staged = new List<(string, string)>();
        try
        {
            foreach (var file in files)
            {
                string target = ExportPaths.Full(root, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                string temp = target + TempSuffix;
                RemoveLeftover(temp);
                WriteFile(temp, Utf8.GetBytes(file.Content), file.Mode);
                staged.Add((temp, target));
            }
            return staged;
        }
        catch
        {
            foreach (var (temp, _) in staged)
            {
                File.Delete(temp);
            }
            throw;
        }
    }

    private static void WriteFile(string path, byte[] bytes, UnixFileMode mode)
    {
        // Created readable by the owner only, whatever the umask, since the content may hold secrets; the final
        // mode is set exactly before the file gets its name.
        var options = new FileStreamOptions
        {
            // O_CREAT|O_EXCL: never opens an existing file or follows a link put there since the checks.
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = ExportFile.Private,
        };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(path, mode);
    }

    private static void WriteManifest(string root, ExportManifest manifest)
    {
        string path = Path.Combine(root, ExportManifest.FileName);
        string temp = path + TempSuffix;
        RemoveLeftover(temp);
        WriteFile(temp, Utf8.GetBytes(manifest.Render()), ExportFile.Public);
        File.Move(temp, path, overwrite: true);
    }

    private static void RemoveEmptyParents(string root, string path)
    {
        string[] parts = path.Split('/');
        for (int i = parts.Length - 1; i >= 1; i--)
        {
            string dir = ExportPaths.Full(root, string.Join('/', parts[..i]));
            if (!Directory.Exists(dir) || Directory.EnumerateFileSystemEntries(dir).Any())
            {
                return;
            }
            Directory.Delete(dir);
        }
    }

    /// <summary>The first of <paramref name="path"/>'s folders, or the file itself, that is a symbolic link; null when none is.</summary>
    private static string? LinkOnTheWay(string root, string path)
    {
        string[] parts = path.Split('/');
        for (int i = 1; i <= parts.Length; i++)
        {
            string at = ExportPaths.Full(root, string.Join('/', parts[..i]));
            if (IsLink(at))
            {
                return at;
            }
        }
        return null;
    }

    private static Diagnostic LinkError(string link) => new(link, 0, 0,
        "is a symbolic link where drover export writes; it never writes or removes through a link it did not make: move it away");

    // lstat: true for a link itself, whatever it points at (or if it points nowhere).
    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    // A staged file left by an interrupted export (checked above not to be a link) goes before the exclusive create.
    private static void RemoveLeftover(string temp)
    {
        if (IsLink(temp))
        {
            throw new IOException($"{temp} is a symbolic link; drover export does not write through it");
        }
        File.Delete(temp);
    }

    private static string HashOf(string path) => ExportManifest.Hash(File.ReadAllBytes(path));

    // True for anything at the path, including a symbolic link whose target is missing.
    private static bool Exists(string path) =>
        File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
