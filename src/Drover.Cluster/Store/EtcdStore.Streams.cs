using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Drover.Cluster.Store;

/// <summary>The two streaming calls: lease keep-alive and watch.</summary>
public sealed partial class EtcdStore
{
    private static readonly TimeSpan WatchLifetime = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public async Task<TimeSpan> KeepAliveOnceAsync(long lease, CancellationToken cancel)
    {
        // A stream per renewal, with the call's deadline: nothing outlives one renewal, so a stream stuck on a dead
        // connection cannot delay the next one (grpc-dotnet ends a call at its deadline whatever the socket does).
        try
        {
            using var call = Connection.LeaseClient.LeaseKeepAlive(Options(cancel));
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, cancel).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
            {
                throw new ClusterUnavailableException($"etcd at {_endpoints}: the keep-alive stream ended");
            }
            var ttl = TimeSpan.FromSeconds(call.ResponseStream.Current.TTL);
            Answered();
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return ttl;
        }
        catch (Exception e) when (IsTransport(e) || e is OperationCanceledException)
        {
            NoAnswer();
            cancel.ThrowIfCancellationRequested();
            throw new ClusterUnavailableException($"etcd at {_endpoints}: lease keep-alive failed ({Describe(e)})", e);
        }
    }

    /// <inheritdoc />
    public async Task WatchPrefixAsync(string prefix, long fromRevision, Action<IReadOnlyList<StoreEvent>> changed, CancellationToken cancel)
    {
        var create = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = ByteString.CopyFromUtf8(prefix),
                RangeEnd = RangeEnd(prefix),
                StartRevision = fromRevision,
            },
        };
        try
        {
            // A deadline on the stream too: a watch silently stuck on a dead connection is replaced after a minute
            // (the caller watches again from where this one stopped).
            using var call = Connection.WatchClient.Watch(new CallOptions(deadline: DateTime.UtcNow + WatchLifetime, cancellationToken: cancel));
            await call.RequestStream.WriteAsync(create, cancel).ConfigureAwait(false);
            while (await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                if (response.CompactRevision > 0)
                {
                    // etcd no longer has the changes from fromRevision on: the caller reads everything again.
                    return;
                }
                if (response.Canceled)
                {
                    throw new ClusterUnavailableException($"etcd at {_endpoints}: the watch was cancelled ({response.CancelReason})");
                }
                Answered();
                if (response.Events.Count > 0)
                {
                    changed(response.Events.Select(e => new StoreEvent(
                        new StoreItem(e.Kv.Key.ToStringUtf8(), e.Kv.Value.ToStringUtf8(), e.Kv.Lease, e.Kv.ModRevision),
                        e.Type == Mvccpb.Event.Types.EventType.Delete)).ToList());
                }
            }
        }
        catch (Exception e) when (IsTransport(e) || e is OperationCanceledException)
        {
            cancel.ThrowIfCancellationRequested();
            throw new ClusterUnavailableException($"etcd at {_endpoints}: the watch broke ({Describe(e)})", e);
        }
        cancel.ThrowIfCancellationRequested();
        throw new ClusterUnavailableException($"etcd at {_endpoints}: the watch stream ended");
    }
}
