using dotnet_etcd;
using Grpc.Core;

namespace Drover.Cluster.Store;

/// <summary>
/// The gRPC channel, replaced when it stops getting answers. Seen under load (50 agents on 2 cores, grpc-dotnet
/// 2.85): one agent's channel stopped opening any connection after a few timed-out calls, and every later call,
/// for as long as the process ran, waited out its deadline without a connection attempt (strace: no connect or
/// write between the call and its deadline), while etcd served the other 49 agents. A fresh channel connects.
/// </summary>
public sealed partial class EtcdStore
{
    /// <summary>How long without any answer, over failing calls, before the channel is replaced.</summary>
    private static readonly TimeSpan ReplaceAfter = TimeSpan.FromSeconds(15);

    private readonly Lock _channelLock = new();
    private volatile Channel _channel;
    private long _lastAnswer;
    private int _replaced;

    /// <summary>How many times the gRPC channel was replaced because it got no answer for a while.</summary>
    public int ChannelsReplaced => Volatile.Read(ref _replaced);

    private dotnet_etcd.interfaces.IConnection Connection => _channel.Connection;

    private Channel Open()
    {
        bool plain = _endpoints.Contains("http://", StringComparison.OrdinalIgnoreCase);
        var client = new EtcdClient(_endpoints, configureChannelOptions: options =>
        {
            if (plain)
            {
                options.Credentials = ChannelCredentials.Insecure;
            }
            options.HttpHandler = Handler();
        });
        return new Channel(client, client.GetConnection(), Environment.TickCount64);
    }

    private void Answered() => Volatile.Write(ref _lastAnswer, Environment.TickCount64);

    /// <summary>
    /// A call failed without an answer. If nothing has answered for <see cref="ReplaceAfter"/> and the channel is
    /// at least that old, a new channel takes over (in an outage that is one new channel every 15 s, which costs
    /// nothing while etcd is away and connects as soon as it is back). Calls still on the old one fail.
    /// </summary>
    private void NoAnswer()
    {
        long now = Environment.TickCount64;
        long limit = (long)ReplaceAfter.TotalMilliseconds;
        Channel old;
        lock (_channelLock)
        {
            old = _channel;
            if (now - Volatile.Read(ref _lastAnswer) < limit || now - old.CreatedAt < limit)
            {
                return;
            }
            _channel = Open();
            _replaced++;
        }
        old.Client.Dispose();
    }

    private sealed record Channel(EtcdClient Client, dotnet_etcd.interfaces.IConnection Connection, long CreatedAt);
}
