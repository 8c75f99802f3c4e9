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
            using var call = _connection.LeaseClient.LeaseKeepAlive(Options(cancel));
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, cancel).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
            {
                throw new ClusterUnavailableException($"etcd at {_endpoints}: the keep-alive stream ended");
            }
            var ttl = TimeSpan.FromSeconds(call.ResponseStream.Current.TTL);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return ttl;
        }
        catch (Exception e) when (IsTransport(e) || e is OperationCanceledException)
        {
            cancel.ThrowIfCancellationRequested();
            throw new ClusterUnavailableException($"etcd at {_endpoints}: lease keep-alive failed ({Describe(e)})", e);
        }
    }

    /// <inheritdoc />
    public async Task WatchPrefixAsync(string prefix, Action changed, CancellationToken cancel)
    {
        var create = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = RangeEnd(prefix) },
        };
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                // A deadline on the stream too: a watch silently stuck on a dead connection is replaced after a minute.
                using var call = _connection.WatchClient.Watch(new CallOptions(deadline: DateTime.UtcNow + WatchLifetime, cancellationToken: cancel));
                await call.RequestStream.WriteAsync(create, cancel).ConfigureAwait(false);
                while (await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
                {
                    var response = call.ResponseStream.Current;
                    if (response.Canceled)
                    {
                        break;
                    }
                    // The creation answer too: whatever changed while no watch was open is picked up by a re-read.
                    changed();
                }
            }
            catch (Exception e) when (IsTransport(e) || e is OperationCanceledException)
            {
                // Reconnect below; the caller re-reads everything on the next notification anyway.
            }
            if (!cancel.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
