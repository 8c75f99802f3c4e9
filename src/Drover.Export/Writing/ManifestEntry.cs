namespace Drover.Export.Writing;

/// <summary>One file Drover wrote: for which app and format, and the SHA-256 of what it wrote.</summary>
/// <param name="App">The app it was exported for.</param>
/// <param name="Format">The export format.</param>
/// <param name="Hashes">
/// Accepted contents (lowercase hex SHA-256). Usually one; two while an export is in progress, so a crash between
/// renames leaves every file recognisable as Drover's, whichever version it holds.
/// </param>
/// <param name="Path">Relative to the output directory, with <c>/</c>.</param>
public sealed record ManifestEntry(string App, string Format, IReadOnlyList<string> Hashes, string Path);
