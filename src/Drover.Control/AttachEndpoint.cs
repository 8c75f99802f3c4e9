using System.Text;
using Drover.Core.Control;
using Drover.Core.Supervision;
using Drover.Core.Terminals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Drover.Control;

/// <summary>
/// GET /v1/attach?target=web.1 with <c>Connection: Upgrade</c> and <c>Upgrade: drover-attach</c>: after
/// <c>101 Switching Protocols</c> the connection is a raw two-way pipe to the process's terminal. Bytes from the
/// client are typed into it; everything the process writes from then on comes back unprefixed. The connection ends
/// when the client closes it (detach: the process keeps running) or when the terminal closes (the process exited).
/// </summary>
internal static class AttachEndpoint
{
    /// <summary>The Upgrade token of the protocol.</summary>
    public const string Protocol = "drover-attach";

    public static async Task Serve(HttpContext ctx, ITerminals? terminals, FormationController controller)
    {
        string? target = ctx.Request.Query["target"];
        if (string.IsNullOrEmpty(target))
        {
            throw new ControlException("attach needs an instance, e.g. target=web.1");
        }
        var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            throw new ControlException($"attach is a raw connection: send Connection: Upgrade and Upgrade: {Protocol}");
        }
        var terminal = terminals?.Find(target);
        if (terminal is null)
        {
            var snapshot = await controller.PsAsync();
            if (snapshot.Any(s => s.Name == target))
            {
                throw new ControlException(
                    $"{target} does not run on a terminal (Drover gives every process one when its own output is a terminal; otherwise start it with --tty always or --tty {TypeOf(target)})",
                    ControlError.Conflict);
            }
            throw new ControlException(
                snapshot.Any(s => s.Type == target)
                    ? $"'{target}' is a process type: attach to one instance, e.g. {target}.1"
                    : $"no process instance '{target}'",
                ControlError.NotFound);
        }

        using var attachment = terminal.Attach();
        await using var stream = await upgrade.UpgradeAsync();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        var output = CopyOutputAsync(attachment, stream, done.Token);
        var input = CopyInputAsync(stream, terminal, done.Token);
        await Task.WhenAny(output, input);
        await done.CancelAsync();
        try
        {
            await Task.WhenAll(output, input);
        }
        catch (OperationCanceledException)
        {
            // One side ended the session; the other was stopped.
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    private static async Task CopyOutputAsync(TerminalAttachment attachment, Stream stream, CancellationToken cancel)
    {
        try
        {
            while (await attachment.Output.WaitToReadAsync(cancel))
            {
                while (attachment.Output.TryRead(out var chunk))
                {
                    attachment.Taken(chunk);
                    await stream.WriteAsync(chunk, cancel);
                }
                await stream.FlushAsync(cancel);
            }
        }
        catch (AttachmentTooSlowException e)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"\r\ndrover: {e.Message}\r\n"), cancel);
        }
    }

    private static async Task CopyInputAsync(Stream stream, IProcessTerminal terminal, CancellationToken cancel)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancel)) > 0)
        {
            if (!await terminal.WriteInputAsync(buffer.AsMemory(0, n), cancel))
            {
                return;
            }
        }
    }

    private static string TypeOf(string instance) =>
        instance.LastIndexOf('.') is var dot and > 0 ? instance[..dot] : instance;
}
