namespace Drover.Core.Procfile;

/// <summary>One <c>name: command</c> entry of a Procfile.</summary>
/// <param name="Name">The process type name, matching <c>[A-Za-z0-9_-]+</c>.</param>
/// <param name="Command">The shell command, with surrounding whitespace removed.</param>
/// <param name="Line">The 1-based line the entry was defined on, so later diagnostics can point back at it.</param>
public sealed record ProcessType(string Name, string Command, int Line);
