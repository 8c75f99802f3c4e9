using Drover.Core.Diagnostics;

namespace Drover.Export;

/// <summary>The export formats by name, and the one entry point that validates before exporting.</summary>
public static class Exporters
{
    /// <summary>Every format, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<IExporter> All { get; } =
    [
        new Systemd.SystemdExporter(),
        new Supervisord.SupervisordExporter(),
        new Runit.RunitExporter(),
        new Launchd.LaunchdExporter(),
        new Kubernetes.KubernetesExporter(),
        new Compose.ComposeExporter(),
    ];

    /// <summary>The exporter called <paramref name="format"/>, or null.</summary>
    public static IExporter? Find(string format) =>
        All.FirstOrDefault(e => string.Equals(e.Format, format, StringComparison.Ordinal));

    /// <summary>
    /// Validates <paramref name="request"/> (shared rules first, then the format's own) and exports it.
    /// </summary>
    /// <returns>The files, or every problem found; nothing is written either way.</returns>
    public static Result<IReadOnlyList<ExportFile>> Export(string format, ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var exporter = Find(format);
        if (exporter is null)
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(UnknownFormat(format));
        }
        var common = ExportValidation.Common(request);
        return common.Count > 0 ? Result<IReadOnlyList<ExportFile>>.Failure(common) : exporter.Export(request);
    }

    /// <summary>The error for a format that does not exist, listing those that do.</summary>
    public static Diagnostic UnknownFormat(string format) => new("format", 0, 0,
        $"unknown export format {UserText.Quote(format)}; choose one of: {string.Join(", ", All.Select(e => e.Format))}");
}
