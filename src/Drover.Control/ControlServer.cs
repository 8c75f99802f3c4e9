using System.Net.Sockets;
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
    private readonly ControlServerOptions _options;
    private readonly Socket _listener;
    private WebApplication? _app;
    private volatile bool _disposing;

    private ControlServer(ControlServerOptions options, Socket listener)
    {
        _options = options;
        _listener = listener;
    }

    /// <summary>
    /// Claims the socket: refuses when another Drover answers on it, replaces a stale one, and binds it (0600).
    /// Cheap, so it runs before any process starts; connections wait in the backlog until <see cref="StartAsync"/>.
    /// </summary>
    /// <exception cref="AlreadyRunningException">Another Drover runs this app.</exception>
    public static ControlServer Claim(ControlServerOptions options)
    {
        SocketGuard.Prepare(options.SocketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
            File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(64);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Another Drover claimed it between our check and our bind.
            listener.Dispose();
            throw new AlreadyRunningException(options.SocketPath);
        }
        return new ControlServer(options, listener);
    }

    /// <summary>
    /// Starts serving the control API as soon as the first client connects. Most formations are never
    /// controlled; not starting the HTTP server until then keeps Drover's memory small (about 10 MiB less).
    /// </summary>
    public Task StartWhenFirstConnectedAsync()
    {
        var firstClient = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = new Thread(() =>
        {
            try
            {
                // Readable means a connection is waiting in the backlog; Kestrel will accept it.
                _listener.Poll(-1, SelectMode.SelectRead);
                if (_disposing)
                {
                    firstClient.TrySetCanceled();
                }
                else
                {
                    firstClient.TrySetResult();
                }
            }
            catch (ObjectDisposedException)
            {
                firstClient.TrySetCanceled();
            }
            catch (SocketException) when (_disposing)
            {
                // Closing the socket under a blocked poll can surface as any socket error (e.g. ENOTSOCK once the
                // descriptor is gone): the server is going away, not failing.
                firstClient.TrySetCanceled();
            }
            catch (SocketException e)
            {
                firstClient.TrySetException(e);
            }
        })
        { IsBackground = true, Name = "drover-control-wait" };
        watcher.Start();
        return firstClient.Task.ContinueWith(t => t.IsCompletedSuccessfully ? StartAsync() : t, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Starts serving the control API on the claimed socket.</summary>
    public async Task StartAsync()
    {
        var options = _options;
        // The empty builder reads no appsettings.json and no ASPNETCORE_* variables: those belong to the app in the
        // working directory (often an ASP.NET app itself), and its Kestrel endpoints must not become ours.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, QuietLifetime>();
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJson.Default));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHandle((ulong)_listener.Handle, listen => listen.Use(next => connection =>
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
        _app = app;
    }

    /// <summary>
    /// Serves the control API from the first connection on. When it cannot start (e.g. no file descriptor left),
    /// <paramref name="warn"/> is told once and it tries again a second later, while Drover keeps supervising.
    /// </summary>
    public async Task ServeAsync(Action<string> warn)
    {
        bool warned = false;
        while (!_disposing)
        {
            try
            {
                await StartWhenFirstConnectedAsync().ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (!_disposing)
            {
                if (!warned)
                {
                    warn(e.Message);
                    warned = true;
                }
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops serving and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        if (_app is not null)
        {
            await StopAppAsync().ConfigureAwait(false);
        }
        else
        {
            _listener.Dispose();
        }
        File.Delete(_options.SocketPath);
    }

    // Apart, and not inlined: a Drover whose server never started must not load ASP.NET Core to exit (it may
    // have no file descriptor left to load it with).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task StopAppAsync()
    {
        // Open log followers are cut after a second rather than holding up Drover's exit.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app!.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // Kestrel took ownership of the descriptor and has closed it. Closing it again could close an unrelated
        // file that got the same number, and disposing a socket whose handle is marked invalid waits forever
        // for a release that never comes: so the Socket object is simply abandoned.
        _listener.SafeHandle.SetHandleAsInvalid();
#pragma warning disable CA1816 // Deliberately the abandoned socket's finalizer, not ours: see above.
        GC.SuppressFinalize(_listener);
#pragma warning restore CA1816
    }
}
