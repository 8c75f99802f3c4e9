namespace Drover.Core.Watch;

/// <summary>The patterns of one ignore file (or list), in order: the last one that matches decides.</summary>
internal sealed class IgnoreFile
{
    private readonly IReadOnlyList<IgnorePattern> _patterns;

    /// <summary>The patterns of <paramref name="lines"/> (blank lines and comments skipped).</summary>
    public IgnoreFile(IEnumerable<string> lines)
    {
        _patterns = [.. lines.Select(IgnorePattern.Parse).OfType<IgnorePattern>()];
    }

    /// <summary>No patterns.</summary>
    public static IgnoreFile Empty { get; } = new([]);

    /// <summary>True: ignored; false: re-included by a <c>!</c> pattern; null: no pattern matches.</summary>
    public bool? Decide(string relativePath, bool isDirectory)
    {
        for (int i = _patterns.Count - 1; i >= 0; i--)
        {
            if (_patterns[i].Matches(relativePath, isDirectory))
            {
                return !_patterns[i].Negated;
            }
        }
        return null;
    }

    /// <summary>The file at <paramref name="path"/>, or <see cref="Empty"/> when it does not exist or cannot be read.</summary>
    public static IgnoreFile Read(string path)
    {
        try
        {
            return File.Exists(path) ? new IgnoreFile(File.ReadAllLines(path)) : Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Empty;
        }
    }
}
