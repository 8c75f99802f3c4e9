using Drover.Core.Logs;
using Drover.Core.Settings;

namespace Drover.Cli.Commands;

/// <summary>
/// Where <c>drover start</c> writes log files: the log directory (--log-dir) and each type's <c>log_location</c>,
/// checked before anything starts: a file that cannot be written, a folder, or a file inside the log directory is
/// an error naming the settings file, line and key.
/// </summary>
internal static class LogLocationCheck
{
    /// <summary>The layout to write, or null when there is nothing to write; problems are added to <paramref name="errors"/>.</summary>
    public static LogLayout? Layout(string? dir, bool tuned, SettingsDocument settings, List<string> errors)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in settings.Types)
        {
            if (type.LogLocation is not { } at)
            {
                continue;
            }
            string folder = Path.GetDirectoryName(at.Path)!;
            string key = $"{at.Source}: {type.Type}.log_location";
            if (dir is not null && folder == dir)
            {
                errors.Add($"{key}: {at.Path} is in the log directory {dir}, which has a file per instance already; give a file in another folder");
                continue;
            }
            if (Directory.Exists(at.Path))
            {
                errors.Add($"{key}: {at.Path} is a folder; give a file in it");
                continue;
            }
            try
            {
                Directory.CreateDirectory(folder);
                // Opened as the writer will open it (appending, shared), then closed: nothing is written yet.
                using var probe = new FileStream(at.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{key}: cannot write {at.Path}: {e.Message}");
                continue;
            }
            files[type.Type] = at.Path;
        }
        if (dir is null && files.Count == 0)
        {
            if (tuned)
            {
                errors.Add("--log-max-size, --log-daily, --log-keep, --log-gzip and --log-max-total need --log-dir (or a log_location in the settings file)");
            }
            return null;
        }
        return new LogLayout(dir, files);
    }
}
