using System.Net;
using System.Runtime.CompilerServices;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Output;
using Drover.Core.Supervision;
using Drover.Dashboard;

namespace Drover.Cli.Commands;

/// <summary>
/// Starts a running formation's web dashboard at most once: at start with <c>--dashboard</c>, or later when
/// <c>drover dashboard</c> asks through the control socket. The dashboard's code is reached only through
/// <see cref="StartServerAsync"/>, so a formation that never asks for it never loads it.
/// </summary>
internal sealed class DashboardLauncher(FormationController controller, LogBook log, IProcessStats stats, StatusResponse status, OutputHub output)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private IAsyncDisposable? _server;
    private string? _url;
    private bool _disposed;

    /// <summary>True when <paramref name="text"/> is meant as the dashboard's address (a port, or has ':' '.' '[').</summary>
    public static bool LooksLikeAddress(string text) =>
        text.All(char.IsAsciiDigit) || text.IndexOfAny([':', '.', '[']) >= 0;

    /// <summary>True when <paramref name="text"/> is a valid listen address.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsValidAddress(string text) => ListenAddress.TryParse(text, out _);

    /// <summary>Starts the dashboard (on <paramref name="listen"/>, default loopback and any port) unless it runs; returns its URL.</summary>
    /// <exception cref="ControlException">The formation is stopping, or the address cannot be used.</exception>
    public async Task<string> EnsureStartedAsync(string? listen = null)
    {
        await _once.WaitAsync();
        try
        {
            if (_url is not null)
            {
                return _url;
            }
            if (_disposed)
            {
                throw new ControlException("the formation is shutting down", ControlError.Conflict);
            }
            var (server, url, notice) = await StartServerAsync(listen);
            (_server, _url) = (server, url);
            output.System($"dashboard: {url}");
            if (notice is not null)
            {
                output.System($"dashboard: {notice}");
            }
            return url;
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>Starts it in the background at <c>drover start</c>; a failure is reported, and the formation runs on.</summary>
    public void StartInBackground(string? listen) => _ = Task.Run(async () =>
    {
        try
        {
            await EnsureStartedAsync(listen);
        }
        catch (Exception e) when (e is ControlException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            output.System($"warning: the dashboard could not start: {e.Message}");
        }
    });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<(IAsyncDisposable Server, string Url, string? Notice)> StartServerAsync(string? listen)
    {
        IPEndPoint endpoint = ListenAddress.Default;
        if (!string.IsNullOrEmpty(listen) && !ListenAddress.TryParse(listen, out endpoint!))
        {
            throw new ControlException($"'{listen}' is not PORT or ADDRESS:PORT");
        }
        var server = await DashboardServer.StartAsync(new DashboardOptions(endpoint, controller, log, stats, status));
        string? notice = ListenAddress.IsLoopback(server.Endpoint)
            ? null
            : $"listening on {server.Endpoint}, which other machines may reach; every request still needs the token";
        return (server, server.Url, notice);
    }

    /// <summary>Stops the dashboard if it runs.</summary>
    public async ValueTask DisposeAsync()
    {
        await _once.WaitAsync();
        try
        {
            _disposed = true;
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
        finally
        {
            _once.Release();
        }
    }
}
