namespace Drover.Core.App;

/// <summary>Where an app's Procfile and root are, from the command-line settings, without reading any file.</summary>
public static class AppLocator
{
    /// <summary>The absolute Procfile path: <c>-f</c>, else <c>Procfile</c> in <paramref name="currentDirectory"/>.</summary>
    public static string ProcfilePath(AppSettings settings, string currentDirectory) =>
        Path.GetFullPath(settings.Procfile ?? "Procfile", currentDirectory);

    /// <summary>The absolute app root: <c>-d</c>, else the Procfile's folder.</summary>
    public static string Root(AppSettings settings, string currentDirectory) =>
        settings.Root is null
            ? Path.GetDirectoryName(ProcfilePath(settings, currentDirectory))!
            : Path.GetFullPath(settings.Root, currentDirectory);
}
