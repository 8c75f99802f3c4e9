namespace Drover.Core.Terminals;

/// <summary>
/// The pseudo-terminal of one running process, for <c>drover attach</c>: typed input goes in, and its raw output
/// (unprefixed, escape sequences and partial lines included) comes out to whoever is attached, while the same output
/// keeps going to the formation's stream.
/// </summary>
public interface IProcessTerminal
{
    /// <summary>The instance, e.g. <c>web.1</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Delivers <paramref name="input"/> to the process as if typed at its terminal (so Ctrl-C, byte 3, interrupts
    /// its foreground group). Waits while the terminal's input buffer is full. False once the terminal is gone.
    /// </summary>
    ValueTask<bool> WriteInputAsync(ReadOnlyMemory<byte> input, CancellationToken cancel);

    /// <summary>Output from now on, until the terminal closes or the attachment is disposed.</summary>
    TerminalAttachment Attach();
}

/// <summary>Finds the terminal of a running instance.</summary>
public interface ITerminals
{
    /// <summary>The terminal of <paramref name="instance"/> (e.g. <c>web.1</c>) while it runs on one; otherwise null.</summary>
    IProcessTerminal? Find(string instance);
}
