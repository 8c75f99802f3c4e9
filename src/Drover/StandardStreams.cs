using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Drover.Cli;

/// <summary>
/// Drover's standard streams: fds 0-2 always open (/dev/null for any closed at exec), and stdout and stderr as
/// plain file streams on fds 1 and 2, never .NET's console streams.
/// </summary>
/// <remarks>
/// On Unix the first write through a console stream (<c>Console.Out</c>, <c>Console.OpenStandardOutput()</c>)
/// initialises the terminal from terminfo, which sends keypad-transmit mode (<c>ESC[?1h ESC=</c>) to a terminal
/// and never takes it back: after Drover, the user's cursor keys sent different codes. A process manager only
/// passes bytes on, so it has no use for that initialisation.
/// </remarks>
internal static class StandardStreams
{
    private static Stream? _output;

    /// <summary>
    /// Makes fds 0-2 valid (a closed stdout must not become one of the runtime's own files), then routes
    /// <c>Console.Out</c> and <c>Console.Error</c> through plain streams on them; call first thing.
    /// </summary>
    public static void Install()
    {
        Posix.StandardDescriptors.EnsureOpen();
        if (Open(1) is { } stdout)
        {
            _output = stdout;
            Console.SetOut(Writer(stdout));
        }
        if (Open(2) is { } stderr)
        {
            Console.SetError(Writer(stderr));
        }
    }

    /// <summary>Stdout as a byte stream (the same one <c>Console.Out</c> writes to), for the output writer.</summary>
    public static Stream Output() => _output ?? Console.OpenStandardOutput();

    private static StreamWriter Writer(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096, leaveOpen: true) { AutoFlush = true };

    private static FileStream? Open(int fd)
    {
        try
        {
            // Not owned: fds 0-2 stay open for the children and for whatever else writes to them.
            return new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null; // A closed or unusable fd: keep .NET's own handling of it.
        }
    }
}
