namespace Drover.Core.Watch;

/// <summary>
/// The seam to the kernel's file notifications (inotify in Drover.Posix): watches directory trees, one directory at a
/// time so that ignored ones (<c>node_modules</c>) cost no watch, adding directories as they appear.
/// </summary>
public interface IFileWatcher : IDisposable
{
    /// <summary>
    /// Starts watching every directory under <paramref name="roots"/> for which <paramref name="descend"/> says
    /// yes; reports to <paramref name="sink"/> from a thread of its own. Never throws for a limit reached: it tells
    /// the sink and watches what it could.
    /// </summary>
    void Start(IReadOnlyList<string> roots, Func<string, bool> descend, IFileChangeSink sink);
}

/// <summary>What an <see cref="IFileWatcher"/> reports.</summary>
public interface IFileChangeSink
{
    /// <summary>The file at <paramref name="path"/> (absolute) was written, created, deleted or moved.</summary>
    void Changed(string path);

    /// <summary>Events were lost (the kernel's queue overflowed): anything may have changed.</summary>
    void Overflowed();

    /// <summary>The directories that exist at the start are watched (<paramref name="directories"/> of them).</summary>
    void Ready(int directories);

    /// <summary>A sentence for people: a limit reached, a directory that could not be watched.</summary>
    void Problem(string message);
}
