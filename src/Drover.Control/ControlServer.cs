using Drover.Core.Control.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Drover.Control;

/// <summary>
/// Kestrel on the app's Unix control socket: HTTP/1.1 + JSON, so `curl --unix-socket` works. Only the owner of the
/// formation (or root) may connect: the folder is 0700, the socket 0600, and each connection's SO_PEERCRED is checked.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _socketPath;

    private ControlServer(WebApplication app, string socketPath)
    {
        _app = app;
        _socketPath = socketPath;
    }

    /// <summary>Claims the socket (refusing when another Drover answers on it) and starts serving.</summary>
    /// <exception cref="AlreadyRunningException">Another Drover runs this app.</exception>
    public static async Task<ControlServer> StartAsync(ControlServerOptions options)
    {
        SocketGuard.Prepare(options.SocketPath);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJson.Default));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(options.SocketPath, listen => listen.Use(next => connection =>
        {
            var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
            uint? uid = socket is null ? null : PeerCredentials.Uid(socket);
            if (uid != options.AllowedUid && uid != 0)
            {
                connection.Abort();
                return Task.CompletedTask;
            }
            return next(connection);
        })));
        var app = builder.Build();
        ControlEndpoints.Map(app, options);
        await app.StartAsync().ConfigureAwait(false);
        File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new ControlServer(app, options.SocketPath);
    }

    /// <summary>Stops serving and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        // Open log followers are cut after a second rather than holding up Drover's exit.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        File.Delete(_socketPath);
    }
}
