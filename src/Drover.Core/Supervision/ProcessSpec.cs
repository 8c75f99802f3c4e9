namespace Drover.Core.Supervision;

/// <summary>What to run for one process instance: a shell command line, its directory and its whole environment.</summary>
/// <param name="Name">The instance name (e.g. <c>web.1</c>), for messages.</param>
/// <param name="Command">The command line, run as <c>/bin/sh -c Command</c> (or as the same argv without the
/// shell when it has no shell syntax: <see cref="SimpleCommand"/>).</param>
/// <param name="WorkingDirectory">The directory the process starts in.</param>
/// <param name="Environment">The complete environment; nothing is inherited beyond it.</param>
public sealed record ProcessSpec(
    string Name,
    string Command,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The port it was given (also in <see cref="Environment"/> as <c>PORT</c>, for the process); null when none.</summary>
    public int? Port { get; init; }

    /// <summary>A helper of an instance (a probe's command, a stop command), not an instance: never given a
    /// terminal, whatever <c>--tty</c> says, and never attached to.</summary>
    public bool Helper { get; init; }
}
