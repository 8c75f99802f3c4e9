namespace Drover.Export.Writing;

/// <summary>The rule for paths inside the output directory, for exporters' files and manifest lines alike.</summary>
public static class ExportPaths
{
    /// <summary>
    /// Why <paramref name="path"/> may not be written or removed, or null when it may: it must be relative, use
    /// <c>/</c>, stay inside the directory (no <c>.</c> or <c>..</c>), and not be the manifest itself.
    /// </summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path[0] == '/' || path.Contains('\\', StringComparison.Ordinal))
        {
            return "must be a relative path with '/' separators";
        }
        if (path.Any(char.IsControl))
        {
            return "has a control character";
        }
        foreach (string part in path.Split('/'))
        {
            if (part is "" or "." or ".." || part.EndsWith(ExportWriter.TempSuffix, StringComparison.Ordinal))
            {
                return "has an empty, '.', '..' or temporary component";
            }
        }
        return path == ExportManifest.FileName ? "is the manifest" : null;
    }

    /// <summary>The absolute path of <paramref name="relative"/> inside <paramref name="root"/>.</summary>
    public static string Full(string root, string relative) =>
        Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
}
