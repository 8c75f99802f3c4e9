using System.Runtime.InteropServices;
using Drover.Core.Watch;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Watch mode's file notifications: one inotify instance, a watch per directory that is not ignored (so a
/// <c>node_modules</c> tree costs nothing: .NET's FileSystemWatcher with IncludeSubdirectories watches every
/// subdirectory and cannot skip any), new directories added as they appear, read by one thread that sleeps in
/// poll(2) until the kernel has something. A limit reached is told once and what could be watched stays watched.
/// </summary>
public sealed unsafe class InotifyWatcher : IFileWatcher
{
    private const uint Mask = Libc.IN_MODIFY | Libc.IN_ATTRIB | Libc.IN_CLOSE_WRITE | Libc.IN_MOVED_FROM | Libc.IN_MOVED_TO
        | Libc.IN_CREATE | Libc.IN_DELETE | Libc.IN_ONLYDIR | Libc.IN_DONT_FOLLOW | Libc.IN_EXCL_UNLINK;

    private static readonly EnumerationOptions OneLevel = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    // Owned by the reader thread once it runs.
    private readonly Dictionary<int, string> _directories = [];
    private int _fd = -1;
    private int _wakeFd = -1;
    private Thread? _thread;
    private volatile bool _stopping;
    private bool _limitTold;
    private Func<string, bool> _descend = _ => true;
    private IFileChangeSink? _sink;

    /// <summary>Directories watched now.</summary>
    public int WatchCount => Volatile.Read(ref _watchCount);

    private int _watchCount;

    /// <inheritdoc />
    public void Start(IReadOnlyList<string> roots, Func<string, bool> descend, IFileChangeSink sink)
    {
        _descend = descend;
        _sink = sink;
        _fd = Libc.inotify_init1(Libc.IN_NONBLOCK | Libc.IN_CLOEXEC);
        if (_fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            sink.Problem(errno == Libc.EMFILE
                ? $"cannot watch files: no inotify instance left (fs.inotify.max_user_instances is {Limit("fs/inotify/max_user_instances", "user/max_inotify_instances")}); raise it with `sysctl fs.inotify.max_user_instances=1024` (as root; keep it in /etc/sysctl.d/); the formation runs without watching"
                : $"cannot watch files: inotify_init1 failed: {Libc.StrError(errno)}; the formation runs without watching");
            return;
        }
        _wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            sink.Problem($"cannot watch files: eventfd failed: {Libc.StrError(Marshal.GetLastPInvokeError())}");
            return;
        }
        _thread = new Thread(() => Run(roots)) { IsBackground = true, Name = "drover-watch" };
        _thread.Start();
    }

    private void Run(IReadOnlyList<string> roots)
    {
        foreach (string root in roots)
        {
            AddTree(root, reportFiles: false);
        }
        _sink!.Ready(_directories.Count);
        byte* buffer = stackalloc byte[64 * 1024];
        Libc.PollFd* fds = stackalloc Libc.PollFd[2];
        while (!_stopping)
        {
            fds[0] = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
            if (Libc.poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                {
                    continue;
                }
                _sink.Problem($"stopped watching: poll failed: {Libc.StrError(Marshal.GetLastPInvokeError())}");
                return;
            }
            if (_stopping || (fds[1].Revents & Libc.POLLIN) != 0)
            {
                return;
            }
            nint n = Libc.read(_fd, buffer, 64 * 1024);
            if (n <= 0)
            {
                continue;
            }
            Dispatch(buffer, (int)n);
        }
    }

    private void Dispatch(byte* buffer, int length)
    {
        // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; } (NUL-padded name).
        int offset = 0;
        while (offset + 16 <= length)
        {
            int wd = *(int*)(buffer + offset);
            uint mask = *(uint*)(buffer + offset + 4);
            int nameLength = (int)*(uint*)(buffer + offset + 12);
            string name = nameLength == 0 ? "" : Marshal.PtrToStringUTF8((nint)(buffer + offset + 16)) ?? "";
            offset += 16 + nameLength;
            if ((mask & Libc.IN_Q_OVERFLOW) != 0)
            {
                // Events were lost: treated as "everything changed".
                _sink!.Overflowed();
                continue;
            }
            if ((mask & Libc.IN_IGNORED) != 0)
            {
                if (_directories.Remove(wd))
                {
                    Interlocked.Decrement(ref _watchCount);
                }
                continue;
            }
            if (name.Length == 0 || !_directories.TryGetValue(wd, out string? directory))
            {
                continue;
            }
            string path = Path.Join(directory, name);
            if ((mask & Libc.IN_ISDIR) != 0)
            {
                if ((mask & (Libc.IN_CREATE | Libc.IN_MOVED_TO)) != 0)
                {
                    // Files written before its watch was in place are reported as changes.
                    AddTree(path, reportFiles: true);
                }
                continue;
            }
            _sink!.Changed(path);
        }
    }

    /// <summary>Watches <paramref name="root"/> and the directories below it that are not ignored.</summary>
    private void AddTree(string root, bool reportFiles)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            if (!_descend(directory))
            {
                continue;
            }
            int wd = Libc.inotify_add_watch(_fd, directory, Mask);
            if (wd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.ENOSPC)
                {
                    TellLimit(directory);
                    return;
                }
                continue; // gone already, or not readable: nothing to watch there
            }
            // A folder moved within the tree keeps its watch (same inode, same wd): only its path changes.
            if (_directories.TryAdd(wd, directory))
            {
                Interlocked.Increment(ref _watchCount);
            }
            else
            {
                _directories[wd] = directory;
            }
            try
            {
                foreach (var sub in new DirectoryInfo(directory).EnumerateDirectories("*", OneLevel))
                {
                    pending.Push(sub.FullName);
                }
                if (reportFiles)
                {
                    foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", OneLevel))
                    {
                        _sink!.Changed(file.FullName);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed while being read: its own events (or none) say the rest.
            }
        }
    }

    private void TellLimit(string directory)
    {
        if (_limitTold)
        {
            return;
        }
        _limitTold = true;
        _sink!.Problem(
            $"the inotify watch limit is reached (fs.inotify.max_user_watches is {Limit("fs/inotify/max_user_watches", "user/max_inotify_watches")}): "
            + $"{_directories.Count} directories are watched, {directory} and the rest are not; raise it with "
            + "`sysctl fs.inotify.max_user_watches=524288` (as root; keep it in /etc/sysctl.d/), or ignore more (the `ignore` key, .gitignore)");
    }

    /// <summary>The lower of the system-wide sysctl and this user namespace's limit (both under /proc/sys).</summary>
    private static string Limit(string sysctl, string userNamespace)
    {
        var values = new[] { sysctl, userNamespace }
            .Select(f => { try { return long.TryParse(File.ReadAllText("/proc/sys/" + f).Trim(), out long v) ? v : (long?)null; } catch (IOException) { return null; } catch (UnauthorizedAccessException) { return null; } })
            .OfType<long>()
            .ToList();
        return values.Count == 0 ? "unknown" : values.Min().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the reader thread and closes the inotify instance (which drops every watch).</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_wakeFd >= 0)
        {
            ulong one = 1;
            Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
        if (_thread is not null && _thread != Thread.CurrentThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
        if (_fd >= 0)
        {
            Libc.close(_fd);
            _fd = -1;
        }
        if (_wakeFd >= 0)
        {
            Libc.close(_wakeFd);
            _wakeFd = -1;
        }
    }
}
