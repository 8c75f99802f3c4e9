namespace Drover.Export.Writing;

/// <summary>What an export did to the output directory, for the command to print (paths only, never contents).</summary>
/// <param name="Directory">The absolute output directory.</param>
/// <param name="Written">Relative paths written (created or replaced), in the exporter's order.</param>
/// <param name="Removed">Relative paths of Drover's earlier files that this export no longer produces.</param>
public sealed record ExportReport(string Directory, IReadOnlyList<string> Written, IReadOnlyList<string> Removed);
