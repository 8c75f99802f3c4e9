using System.Net;
using System.Text.Json;
using Drover.Control;
using Drover.Core.Logs;
using Drover.Dashboard.Access;
using Drover.Dashboard.Feed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Drover.Dashboard;

/// <summary>
/// The web dashboard of a running formation: one page (embedded in the binary) with the live process table, sparklines,
/// the log and controls, plus <c>/metrics</c> for Prometheus; Kestrel on TCP, every request behind a random token
/// (see <see cref="AccessGate"/>). Started only when asked for, so a plain <c>drover start</c> never loads it.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FormationFeed _feed;

    private DashboardServer(WebApplication app, FormationFeed feed, IPEndPoint endpoint, string token)
    {
        _app = app;
        _feed = feed;
        Endpoint = endpoint;
        Url = $"http://{ListenAddress.UrlHost(endpoint)}:{endpoint.Port}/?token={token}";
    }

    /// <summary>Where it listens (with the port the kernel picked, when asked for port 0).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The URL to open, with the access token.</summary>
    public string Url { get; }

    /// <summary>Starts the dashboard; throws when the address cannot be bound (e.g. the port is taken).</summary>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options)
    {
        var token = AccessToken.Create();
        var feed = new FormationFeed(options.Controller, options.Stats, options.SampleInterval, options.HistoryPoints);

        // The empty builder reads no appsettings.json and no ASPNETCORE_ variables: the app's own folder and
        // environment (an ASP.NET app run by Drover) must not configure Drover's server.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(options.Listen));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        var app = builder.Build();

        var gate = new AccessGate(token, new Sessions());
        app.Use(gate.InvokeAsync);
        app.UseRouting();
        EmbeddedAssets.Map(app);
        var stopping = app.Lifetime.ApplicationStopping;
        app.MapGet("/api/session", ctx => ctx.Response.WriteAsJsonAsync(
            new SessionInfo(AccessGate.SessionOf(ctx)?.Csrf.Value ?? "", options.Status), DashboardJson.Default.SessionInfo));
        app.MapGet("/api/events", ctx => EventStream.Serve(ctx, feed, options.Log, stopping));
        app.MapGet("/api/logs/search", ctx => SearchEndpoint.Serve(ctx, new LogLayout(options.Status.LogDir, options.Status.TypeLogFiles)));
        app.MapGet("/metrics", ctx => MetricsEndpoint.Serve(ctx, options.Controller, options.Stats));
        ActionEndpoints.Map(app, options.Controller, feed);

        try
        {
            await feed.SampleNowAsync().ConfigureAwait(false);
            feed.Start();
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await feed.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new IPEndPoint(options.Listen.Address, new Uri(address).Port);
        return new DashboardServer(app, feed, bound, token.Value);
    }

    /// <summary>Stops serving; open pages see their event stream end.</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _feed.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
