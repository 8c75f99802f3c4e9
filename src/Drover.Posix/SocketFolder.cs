using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// The folder that holds a user's control sockets (<c>/tmp/drover-UID</c> without XDG_RUNTIME_DIR). Whoever owns it
/// can move a socket away and answer in Drover's place, so it must be a real folder, owned by the user, mode 0700;
/// a folder someone else made first is refused, never chmodded (chmod would not take it back from its owner).
/// </summary>
public static unsafe class SocketFolder
{
    /// <summary>Creates <paramref name="folder"/> (0700) or checks the one there; returns why it cannot be used, or null.</summary>
    public static string? Prepare(string folder)
    {
        uint uid = UserIdentity.Uid();
        try
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (IOException)
        {
            // Something not a folder is there: told below.
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cannot create the control socket folder {folder}: {e.Message}";
        }
        if (Lstat(folder) is not var (owner, mode))
        {
            return $"cannot read the control socket folder {folder}";
        }
        if ((mode & 0xF000) != 0x4000)
        {
            return $"{folder} should be Drover's control socket folder but is {((mode & 0xF000) == 0xA000 ? "a symbolic link" : "not a folder")}; "
                + "remove it, or set XDG_RUNTIME_DIR to a private folder";
        }
        if (owner != uid)
        {
            return $"the control socket folder {folder} belongs to {Describe(owner)}, not to {Describe(uid)}: whoever owns it could "
                + "answer in Drover's place. Remove it (its owner or root can), or set XDG_RUNTIME_DIR to a private folder";
        }
        if ((mode & 0x3F) != 0)
        {
            // Ours, but open to others (an old Drover, or a umask): close it.
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return null;
    }

    /// <summary>Owner and mode of <paramref name="path"/> itself (a link is not followed), or null when it cannot be read.</summary>
    public static (uint Uid, uint Mode)? Lstat(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatxSize];
        if (Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            return null;
        }
        return (*(uint*)(buffer + Libc.StatxUidOffset), *(ushort*)(buffer + Libc.StatxModeOffset));
    }

    /// <summary>"uid 994 (drovertest)", from /etc/passwd when the name is there.</summary>
    public static string Describe(uint uid)
    {
        string id = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            string? name = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == id)?[0];
            return name is null ? $"uid {id}" : $"uid {id} ({name})";
        }
        catch (IOException)
        {
            return $"uid {id}";
        }
    }
}
