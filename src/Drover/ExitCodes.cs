namespace Drover.Cli;

/// <summary>Drover's exit codes, also listed in <c>drover --help</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Requested shutdown, or every process finished cleanly.</summary>
    public const int Ok = 0;

    /// <summary>Some other failure (processes finished with errors, a system call failed).</summary>
    public const int Failure = 1;

    /// <summary>Usage or input error: bad flag, bad Procfile or env file. Nothing was started.</summary>
    public const int Usage = 2;

    /// <summary>The text for --help.</summary>
    public const string Help = """
        Exit codes:
          0  requested shutdown (SIGINT/SIGTERM/SIGHUP), or every process finished cleanly
          1  processes finished with errors, or another failure
          2  usage or input error (bad flag, Procfile, .env or formation); nothing was started
          N  with --stop-on-exit (Foreman's behaviour): the code of the first process that exited
             (128+signal when a signal killed it); `drover run` passes the command's code through
        """;
}
