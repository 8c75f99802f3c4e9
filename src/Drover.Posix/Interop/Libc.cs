using System.Runtime.InteropServices;

namespace Drover.Posix.Interop;

/// <summary>
/// Raw glibc entry points. Everything OS-specific in Drover goes through this one file; callers wrap
/// the results in small, safe types and turn errno into exceptions with a message that says what failed.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    // errno values used by callers (Linux, all architectures Drover targets).
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ESRCH = 3;
    public const int EPERM = 1;
    public const int ENOMEM = 12;
    public const int ENFILE = 23;
    public const int EMFILE = 24;

    // open(2)/fcntl(2)
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int F_GETFD = 1;
    public const int FD_CLOEXEC = 1;
    public const int O_RDWR = 2;
    public const int EBADF = 9;

    // posix_spawn flags (glibc)
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    // access(2)
    public const int X_OK = 1;

    // waitpid(2)
    public const int WNOHANG = 1;

    // poll(2)
    public const short POLLIN = 0x001;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    // eventfd(2)
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    // prctl(2)
    public const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>glibc's opaque spawn structures are 80 and 336 bytes on 64-bit Linux; we allocate generously.</summary>
    public const int SpawnFileActionsSize = 256;
    public const int SpawnAttrSize = 1024;
    public const int SigSetSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    // getrlimit(2)
    public const int RLIMIT_NPROC = 6;
    public const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getrlimit(int resource, RLimit* limit);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setrlimit(int resource, RLimit* limit);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int dup2(int oldFd, int newFd);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int execv(byte* path, byte** argv);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    // inotify(7): watch mode (docs/watch.md)
    public const int ENOSPC = 28;
    public const int IN_NONBLOCK = 0x800;
    public const int IN_CLOEXEC = 0x80000;
    public const uint IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80;
    public const uint IN_CREATE = 0x100, IN_DELETE = 0x200, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000;
    public const uint IN_ONLYDIR = 0x01000000, IN_DONT_FOLLOW = 0x02000000, IN_EXCL_UNLINK = 0x04000000, IN_ISDIR = 0x40000000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int inotify_init1(int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int inotify_add_watch(int fd, string path, uint mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    // statx(2): one layout on every architecture, unlike struct stat.
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const int StatxSize = 256;
    public const int StatxUidOffset = 20;
    public const int StatxModeOffset = 28;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib)]
    public static partial int getpid();

    [LibraryImport(Lib)]
    public static partial uint getuid();

    public const int _SC_CLK_TCK = 2;

    [LibraryImport(Lib)]
    public static partial long sysconf(int name);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Lib)]
    public static partial int sigfillset(void* set);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, byte* path, int oflag, int mode);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, byte* path);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigdefault);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigmask);

    [LibraryImport(Lib)]
    public static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    // Pseudo-terminals (pty(7)) and terminal attributes (termios(3)), Linux values.
    public const int O_NOCTTY = 0x100;
    public const int EIO = 5;
    public const nuint TIOCGWINSZ = 0x5413;
    public const nuint TIOCSWINSZ = 0x5414;
    public const int TCSANOW = 0;
    public const uint ONLCR = 0x4;
    public const uint OPOST = 0x1;
    public const uint IGNBRK = 0x1, BRKINT = 0x2, PARMRK = 0x8, ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IXON = 0x400;
    public const uint ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHONL = 0x40, IEXTEN = 0x8000;
    public const uint CSIZE = 0x30, PARENB = 0x100, CS8 = 0x30;
    public const int VTIME = 5;
    public const int VMIN = 6;

    /// <summary>struct winsize.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>struct termios as glibc lays it out on Linux (60 bytes: four flag words, c_line, 32 c_cc, two speeds).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte Line;
        public fixed byte ControlChars[32];
        public uint InputSpeed;
        public uint OutputSpeed;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlockpt(int fd);

    /// <summary>Returns 0 or an errno value (not -1).</summary>
    [LibraryImport(Lib)]
    public static partial int ptsname_r(int fd, byte* buf, nuint buflen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, WinSize* size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetattr(int fd, Termios* termios);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, Termios* termios);

    [LibraryImport(Lib)]
    public static partial int isatty(int fd);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial byte* realpath(string path, byte* resolved);

    [LibraryImport(Lib)]
    private static partial void free(void* p);

    /// <summary>The canonical absolute path (symbolic links resolved), or null when it cannot be resolved.</summary>
    public static string? RealPath(string path)
    {
        byte* p = realpath(path, null);
        if (p is null)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8((nint)p);
        }
        finally
        {
            free(p);
        }
    }

    [LibraryImport(Lib)]
    private static partial byte* strerror(int errnum);

    /// <summary>The message glibc gives for an errno value, e.g. "No such file or directory".</summary>
    public static string StrError(int errno) => Marshal.PtrToStringUTF8((nint)strerror(errno)) ?? $"errno {errno}";
}
