namespace Drover.Export;

/// <summary>
/// A few lines of <c>/bin/sh</c> that compute PORT from an instance number the manager supplies, for the formats
/// that describe all instances of a type with one entry (systemd template units, supervisord's numprocs) and
/// cannot do arithmetic themselves.
/// </summary>
/// <remarks>
/// Run as <c>/bin/sh -c SCRIPT NAME INSTANCE BASE COMMAND</c>. It checks the instance is a number (a systemd
/// instance is any text), sets <c>PORT = BASE + INSTANCE - 1</c> and execs <c>/bin/sh -c COMMAND</c>, so the
/// wrapper shell is gone and the command's shell (which execs a simple command in turn) is the main process the
/// manager signals. The script has no single quote, backslash, <c>%</c> or whitespace before <c>;</c>, so each
/// format can quote it without surprises.
/// </remarks>
public static class PortPrologue
{
    /// <summary>The script; <c>$1</c> is the instance, <c>$2</c> the type's base port, <c>$3</c> the command.</summary>
    public const string Script =
        "case $1 in \"\"|*[!0-9]*) echo \"drover: instance number expected, got $1\" >&2; exit 2;; esac; " +
        "PORT=$(($2 + $1 - 1)) exec /bin/sh -c \"$3\"";

    /// <summary>The shell every exported command runs under, as in <c>drover start</c>.</summary>
    public const string Shell = "/bin/sh";
}
