using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Drover.Control;
using Drover.Posix;
using Microsoft.Win32.SafeHandles;

namespace Drover.Cli.Commands;

/// <summary>
/// <c>drover attach web.1</c>: this terminal becomes the process's terminal (raw, two-way, output unprefixed) until
/// Ctrl-] detaches; the process and the rest of the formation keep running. Ctrl-C goes to that process only.
/// </summary>
internal static class AttachCommand
{
    /// <summary>The detach key: Ctrl-] (as telnet and virsh console), unused by shells, pry, pdb or node inspect.</summary>
    public const byte DetachKey = 0x1d;

    public static Command Create()
    {
        var connection = new ControlConnection();
        var target = new Argument<string>("instance") { Description = "the process instance, e.g. web.1" };
        var command = new Command("attach", "Connect this terminal to a running process's terminal (for debuggers and prompts); Ctrl-] detaches and leaves it running.");
        connection.AddTo(command);
        command.Arguments.Add(target);
        command.SetAction(async parse =>
        {
            string root = connection.AppRoot(parse);
            string socket = ControlConnection.SocketPathFor(root);
            string instance = parse.GetValue(target)!;
            Stream? stream;
            try
            {
                (stream, int status, string error) = await AttachClient.ConnectAsync(socket, UserIdentity.Uid(), instance);
                if (stream is null)
                {
                    Console.Error.WriteLine($"drover: {ControlConnection.ErrorMessage(error)}");
                    return status is 400 or 404 or 409 ? ExitCodes.Usage : ExitCodes.Failure;
                }
            }
            catch (UntrustedSocketException e)
            {
                Console.Error.WriteLine($"drover: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                Console.Error.WriteLine($"drover: no Drover is running for {root} (no control socket answers at {socket})");
                return ExitCodes.Failure;
            }
            await using var _ = stream;
            bool detached;
            using (var raw = RawTerminal.Enter(0))
            {
                // Said only once the terminal is raw: a Ctrl-C typed after reading it must reach the process, not us.
                Console.Error.WriteLine($"drover: attached to {instance}; Ctrl-] detaches (the process keeps running), Ctrl-C goes to {instance}");
                using var restoreOnTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => raw?.Dispose());
                using var restoreOnHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => raw?.Dispose());
                detached = await RunSessionAsync(stream);
            }
            Console.Error.WriteLine(detached
                ? $"drover: detached from {instance}; it keeps running"
                : $"drover: {instance}'s terminal closed (it exited, or Drover stopped)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Copies both ways until the user detaches (true) or the server ends the session (false).</summary>
    private static async Task<bool> RunSessionAsync(Stream stream)
    {
        var detach = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A blocking read of stdin cannot be cancelled: it runs on a background thread that dies with the process.
        var keyboard = new Thread(() => CopyKeys(stream, detach)) { IsBackground = true, Name = "drover-attach-input" };
        keyboard.Start();
        var output = StandardStreams.Output();
        var buffer = new byte[16 * 1024];
        var reading = Task.Run(async () =>
        {
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, n));
                    await output.FlushAsync();
                }
            }
            catch (IOException)
            {
                // The connection was closed under us: by the detach, or by Drover going away.
            }
        });
        await Task.WhenAny(reading, detach.Task);
        return detach.Task.IsCompleted;
    }

    private static void CopyKeys(Stream stream, TaskCompletionSource<bool> detach)
    {
        using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = stdin.Read(buffer)) > 0)
            {
                int key = Array.IndexOf(buffer, DetachKey, 0, n);
                stream.Write(buffer, 0, key < 0 ? n : key);
                if (key >= 0)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // stdin or the connection failed: end the session as a detach.
        }
        // Ctrl-] or the end of stdin: detach (said first, so the closed connection is not taken for the server's end),
        // closing the connection; the process keeps running.
        detach.TrySetResult(true);
        stream.Dispose();
    }
}
