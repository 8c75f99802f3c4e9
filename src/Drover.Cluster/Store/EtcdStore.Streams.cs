using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Drover.Cluster.Store;

/// <summary>The two streaming calls: lease keep-alive and watch.</summary>
public sealed partial class EtcdStore
{
    // One keep-alive stream, reopened after any failure; only the agent's keep-alive loop uses it.
    private AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? _keepAlive;

    /// <inheritdoc />
    public async Task<TimeSpan> KeepAliveOnceAsync(long lease, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_callTimeout);
        try
        {
            _keepAlive ??= _connection.LeaseClient.LeaseKeepAlive(cancellationToken: CancellationToken.None);
            await _keepAlive.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, timeout.Token).ConfigureAwait(false);
            if (!await _keepAlive.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false))
            {
                throw new ClusterUnavailableException($"etcd at {_endpoints}: the keep-alive stream ended");
            }
            return TimeSpan.FromSeconds(_keepAlive.ResponseStream.Current.TTL);
        }
        catch (Exception e) when (IsTransport(e) || e is OperationCanceledException or ClusterUnavailableException)
        {
            // A stream that failed once is not trusted again.
            _keepAlive?.Dispose();
            _keepAlive = null;
            cancel.ThrowIfCancellationRequested();
            throw e as ClusterUnavailableException
                ?? new ClusterUnavailableException($"etcd at {_endpoints}: lease keep-alive failed ({e.Message})", e);
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
                using var call = _connection.WatchClient.Watch(cancellationToken: cancel);
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
