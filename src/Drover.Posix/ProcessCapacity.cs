using Drover.Core.Supervision;

namespace Drover.Posix;

/// <summary>
/// Checks a start or scale-up against the limits before anything starts. Each process costs Drover one file
/// descriptor (its output pipe) and at least one task (process) of the user; some room is kept for Drover's own
/// threads and connections, which need the same limits to keep supervising.
/// </summary>
public sealed class ProcessCapacity : IProcessCapacity
{
    /// <summary>File descriptors kept for Drover itself (sockets, the dashboard, /proc reads, spawning).</summary>
    public const int ReservedFiles = 64;

    /// <summary>Tasks kept for Drover's own threads (the runtime's thread pool grows under load).</summary>
    public const int ReservedTasks = 32;

    /// <inheritdoc />
    public string? Refusal(int moreProcesses)
    {
        if (moreProcesses <= 0)
        {
            return null;
        }
        if (ResourceLimits.OpenFileLimit() is ulong files)
        {
            long free = (long)Math.Min(files, int.MaxValue) - ResourceLimits.OpenFiles() - ReservedFiles;
            if (moreProcesses > free)
            {
                return $"{moreProcesses} more processes need {moreProcesses} more file descriptors, but Drover's open-file limit "
                    + $"(RLIMIT_NOFILE) is {files} with {ResourceLimits.OpenFiles()} in use and {ReservedFiles} kept for Drover itself, "
                    + $"so at most {Math.Max(0, free)} more fit: {LimitAdvice.OpenFiles}";
            }
        }
        uint uid = UserIdentity.Uid();
        if (uid != 0 && ResourceLimits.ProcessLimit() is ulong tasks)
        {
            int used = ResourceLimits.TasksOf(uid);
            long free = (long)Math.Min(tasks, int.MaxValue) - used - ReservedTasks;
            if (moreProcesses > free)
            {
                return $"{moreProcesses} more processes do not fit within the process limit (RLIMIT_NPROC) of {tasks} for uid {uid}: "
                    + $"{used} processes and threads of that user run already and {ReservedTasks} are kept for Drover's own threads, "
                    + $"so at most {Math.Max(0, free)} more fit: {LimitAdvice.Processes}";
            }
        }
        if (ResourceLimits.KernelTaskLimit() is long kernel)
        {
            int used = ResourceLimits.SystemTasks();
            long free = kernel - used - ReservedTasks;
            if (moreProcesses > free)
            {
                return $"{moreProcesses} more processes do not fit within the kernel's limit of {kernel} tasks (kernel.pid_max / kernel.threads-max): "
                    + $"{used} run already, so at most {Math.Max(0, free)} more fit";
            }
        }
        if (ResourceLimits.CgroupPids() is var (max, current, path))
        {
            long free = max - current - ReservedTasks;
            if (moreProcesses > free)
            {
                return $"{moreProcesses} more processes do not fit within the cgroup's pids.max of {max} ({path}): "
                    + $"{current} run already, so at most {Math.Max(0, free)} more fit (a container's pid limit)";
            }
        }
        return null;
    }
}
