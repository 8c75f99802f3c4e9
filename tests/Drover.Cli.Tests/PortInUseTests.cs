using System.Net;
using System.Net.Sockets;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>Issue #14 item 6: a PORT already taken was a silent crash loop.</summary>
public sealed class PortInUseTests
{
    private const string Binder =
        "web: exec perl -MIO::Socket::INET -e 'IO::Socket::INET->new(LocalAddr=>q(127.0.0.1),LocalPort=>$ENV{PORT},Listen=>5) or die qq(listen: $!\\n); $|=1; print qq(bound\\n); sleep 100'";

    [Fact]
    public async Task A_taken_port_is_named_once_with_the_process_holding_it_and_restarts_keep_their_backoff()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var app = TempApp.Create().WithProcfile(Binder);
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{port}", "--max-restart-delay", "0.2");

        await drover.WaitForStartAsync("web.1", occurrence: 4);

        var said = drover.Lines.Where(l => l.Text.Contains($"port {port} is already in use by pid {Environment.ProcessId} (", StringComparison.Ordinal)).ToList();
        Assert.True(said.Count == 1, drover.Dump());
        Assert.Contains(drover.Lines, l => l.Text.StartsWith("web.1 restarting in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Once_the_port_is_free_the_instance_comes_up()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var app = TempApp.Create().WithProcfile(Binder);
        using var drover = DroverProcess.Start(app.Root, "start", "-p", $"{port}", "--max-restart-delay", "0.2");
        await drover.WaitForSystemPrefixAsync($"web.1: its port {port} is already in use");

        holder.Stop();

        await drover.WaitForOutputAsync("web.1", "bound");
    }
}
