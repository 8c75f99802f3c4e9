using Drover.Core.Diagnostics;

namespace Drover.Export;

/// <summary>
/// Turns a formation into the files of one process manager's format. Exporters are pure: they write nothing,
/// so their output can be compared exactly in tests and written atomically by <see cref="Writing.ExportWriter"/>.
/// </summary>
public interface IExporter
{
    /// <summary>The format's name on the command line, e.g. <c>systemd</c>.</summary>
    string Format { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>The files for <paramref name="request"/>, or why this format cannot carry it.</summary>
    Result<IReadOnlyList<ExportFile>> Export(ExportRequest request);
}
