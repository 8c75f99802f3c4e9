namespace Drover.Export;

/// <summary>One file an exporter produces, before anything touches the disk.</summary>
/// <param name="Path">Relative to the output directory, with <c>/</c> between folders.</param>
/// <param name="Content">The exact text to write (UTF-8, no BOM).</param>
/// <param name="Mode">The Unix permissions the file gets.</param>
public sealed record ExportFile(string Path, string Content, UnixFileMode Mode)
{
    /// <summary>rw-r--r--: a file holding no environment values.</summary>
    public const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>rw-------: a file holding environment values, which may be secrets.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwxr-xr-x: a script the manager runs.</summary>
    public const UnixFileMode Executable = Public | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
}
