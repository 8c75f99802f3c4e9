using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// posix_spawn wrapper. <see cref="System.Diagnostics.Process"/> cannot start a child in its own session,
/// and Drover must signal whole process groups, so this is done by hand.
/// </summary>
internal static unsafe class Spawner
{
    /// <summary>
    /// Spawns <paramref name="argv"/> in a new session (so it leads its own process group and never gets the
    /// terminal's Ctrl-C), with stdin from <paramref name="inputFd"/> (or /dev/null when -1) and stdout+stderr
    /// both into <paramref name="outputFd"/> (or /dev/null when -1). Signal dispositions and mask are reset:
    /// .NET ignores SIGPIPE, and a child must not inherit that.
    /// </summary>
    /// <returns>The child's pid.</returns>
    public static int SpawnInNewSession(
        string path, IReadOnlyList<string> argv, IEnumerable<string> envp, string workingDirectory, int outputFd, int inputFd = -1) =>
        Spawn(path, argv, envp, workingDirectory, newSession: true, (inputFd, outputFd), $"posix_spawn {path} in {workingDirectory}");

    /// <summary>
    /// Spawns <paramref name="argv"/> in a new session whose controlling terminal is the pseudo-terminal slave at
    /// <paramref name="terminalPath"/>, on stdin, stdout and stderr. posix_spawn has no TIOCSCTTY, but glibc runs
    /// setsid before the file actions, and a session leader without a terminal that opens one without O_NOCTTY
    /// acquires it (Linux tty_open): so the slave is opened by path in the child. The child's group is then the
    /// terminal's foreground group, and a Ctrl-C typed into it reaches that group only.
    /// </summary>
    /// <returns>The child's pid.</returns>
    public static int SpawnInTerminal(
        string path, IReadOnlyList<string> argv, IEnumerable<string> envp, string workingDirectory, string terminalPath) =>
        Spawn(path, argv, envp, workingDirectory, newSession: true, stdio: null, $"posix_spawn {path} in {workingDirectory}", terminalPath);

    /// <summary>
    /// Spawns a foreground command that shares Drover's terminal, stdio and process group (for <c>drover run</c>);
    /// searches PATH when <paramref name="file"/> has no slash.
    /// </summary>
    public static int SpawnForeground(string file, IReadOnlyList<string> argv, IEnumerable<string> envp, string workingDirectory) =>
        Spawn(file, argv, envp, workingDirectory, newSession: false, stdio: null, $"cannot run '{file}'");

    /// <summary>
    /// posix_spawnp (a <paramref name="file"/> with a slash is used as is) with the working directory, reset signals,
    /// optionally a new session, and optionally stdin/stdout/stderr redirected (-1 meaning /dev/null).
    /// </summary>
    private static int Spawn(
        string file, IReadOnlyList<string> argv, IEnumerable<string> envp, string workingDirectory,
        bool newSession, (int Input, int Output)? stdio, string failure, string? terminalPath = null)
    {
        using var strings = new NativeStrings();
        byte* cFile = strings.String(file);
        byte** cArgv = strings.Array(argv);
        byte** cEnvp = strings.Array(envp);
        byte* devNull = strings.String("/dev/null");
        byte* cwd = strings.String(workingDirectory);

        byte* actions = stackalloc byte[Libc.SpawnFileActionsSize];
        byte* attr = stackalloc byte[Libc.SpawnAttrSize];

        Check("posix_spawn_file_actions_init", Libc.posix_spawn_file_actions_init(actions));
        Check("posix_spawnattr_init", Libc.posix_spawnattr_init(attr));
        try
        {
            if (terminalPath is not null)
            {
                Check("posix_spawn_file_actions_addopen", Libc.posix_spawn_file_actions_addopen(actions, 0, strings.String(terminalPath), Libc.O_RDWR, 0));
                Check("posix_spawn_file_actions_adddup2", Libc.posix_spawn_file_actions_adddup2(actions, 0, 1));
                Check("posix_spawn_file_actions_adddup2", Libc.posix_spawn_file_actions_adddup2(actions, 0, 2));
            }
            else if (stdio is var (inputFd, outputFd))
            {
                Check("posix_spawn_file_actions_addopen/adddup2", inputFd < 0
                    ? Libc.posix_spawn_file_actions_addopen(actions, 0, devNull, Libc.O_RDONLY, 0)
                    : Libc.posix_spawn_file_actions_adddup2(actions, inputFd, 0));
                if (outputFd < 0)
                {
                    Check("posix_spawn_file_actions_addopen", Libc.posix_spawn_file_actions_addopen(actions, 1, devNull, Libc.O_WRONLY, 0));
                    Check("posix_spawn_file_actions_adddup2", Libc.posix_spawn_file_actions_adddup2(actions, 1, 2));
                }
                else
                {
                    Check("posix_spawn_file_actions_adddup2", Libc.posix_spawn_file_actions_adddup2(actions, outputFd, 1));
                    Check("posix_spawn_file_actions_adddup2", Libc.posix_spawn_file_actions_adddup2(actions, outputFd, 2));
                }
            }
            Check("posix_spawn_file_actions_addchdir_np", Libc.posix_spawn_file_actions_addchdir_np(actions, cwd));
            ResetSignals(attr, newSession ? Libc.POSIX_SPAWN_SETSID : (short)0);

            int pid;
            int rc = Libc.posix_spawnp(&pid, cFile, actions, attr, cArgv, cEnvp);
            if (rc != 0)
            {
                throw new PosixException(failure, rc);
            }
            return pid;
        }
        finally
        {
            _ = Libc.posix_spawnattr_destroy(attr);
            _ = Libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    /// <summary>
    /// Every signal back to its default disposition and none blocked in the child (plus <paramref name="extraFlags"/>):
    /// .NET ignores SIGPIPE and blocks signals on some threads, and a child must inherit neither.
    /// </summary>
    private static void ResetSignals(void* attr, short extraFlags)
    {
        byte* allSignals = stackalloc byte[Libc.SigSetSize];
        byte* noSignals = stackalloc byte[Libc.SigSetSize];
        _ = Libc.sigfillset(allSignals);
        _ = Libc.sigemptyset(noSignals);
        Check("posix_spawnattr_setflags", Libc.posix_spawnattr_setflags(
            attr, (short)(extraFlags | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK)));
        Check("posix_spawnattr_setsigdefault", Libc.posix_spawnattr_setsigdefault(attr, allSignals));
        Check("posix_spawnattr_setsigmask", Libc.posix_spawnattr_setsigmask(attr, noSignals));
    }

    private static void Check(string call, int rc)
    {
        if (rc != 0)
        {
            throw new PosixException(call, rc);
        }
    }
}
