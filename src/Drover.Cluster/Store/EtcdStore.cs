using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Drover.Cluster.Store;

/// <summary>
/// <see cref="IClusterStore"/> over etcd's gRPC API, through the clients that <c>dotnet-etcd</c> generates and
/// connects (one channel balanced over every endpoint given). Reads are linearizable (etcd's default).
/// </summary>
public sealed partial class EtcdStore : IClusterStore
{
    private readonly string _endpoints;
    private readonly int _endpointCount;
    private readonly TimeSpan _callTimeout;
    private long _lastWriteRevision;

    /// <summary>Connects lazily to <paramref name="endpoints"/> (comma-separated URLs).</summary>
    /// <param name="endpoints">e.g. <c>http://10.0.0.5:2379,http://10.0.0.6:2379</c>.</param>
    /// <param name="callTimeout">Deadline of each request.</param>
    public EtcdStore(string endpoints, TimeSpan callTimeout)
    {
        _endpoints = endpoints;
        _endpointCount = endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        _callTimeout = callTimeout;
        _channel = Open();
        _lastAnswer = Environment.TickCount64;
    }

    /// <inheritdoc />
    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancel)
    {
        var response = await Call(c => Connection.LeaseClient.LeaseGrantAsync(
            new LeaseGrantRequest { TTL = (long)Math.Ceiling(ttl.TotalSeconds) }, Options(c)).ResponseAsync, cancel).ConfigureAwait(false);
        return response.ID;
    }

    /// <inheritdoc />
    public async Task<TimeSpan> LeaseRemainingAsync(long lease, CancellationToken cancel)
    {
        var response = await Call(c => Connection.LeaseClient.LeaseTimeToLiveAsync(
            new LeaseTimeToLiveRequest { ID = lease }, Options(c)).ResponseAsync, cancel).ConfigureAwait(false);
        return TimeSpan.FromSeconds(response.TTL);
    }

    /// <inheritdoc />
    public async Task RevokeLeaseAsync(long lease, CancellationToken cancel)
    {
        try
        {
            await Call(c => Connection.LeaseClient.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, Options(c)).ResponseAsync, cancel)
                .ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            // Already expired: nothing left to revoke.
        }
    }

    /// <inheritdoc />
    public async Task<StoreSnapshot> GetPrefixAsync(string prefix, CancellationToken cancel)
    {
        var request = new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = RangeEnd(prefix) };
        var response = await Call(c => Connection.KVClient.RangeAsync(request, Options(c)).ResponseAsync, cancel).ConfigureAwait(false);
        var items = response.Kvs
            .Select(kv => new StoreItem(kv.Key.ToStringUtf8(), kv.Value.ToStringUtf8(), kv.Lease, kv.ModRevision))
            .ToList();
        return new StoreSnapshot(response.Header.Revision, items);
    }

    /// <inheritdoc />
    public long LastWriteRevision => Interlocked.Read(ref _lastWriteRevision);

    /// <inheritdoc />
    public async Task PutAsync(string key, string value, long lease, CancellationToken cancel)
    {
        var response = await Call(c => Connection.KVClient.PutAsync(Put(key, value, lease), Options(c)).ResponseAsync, cancel).ConfigureAwait(false);
        Wrote(response.Header);
    }

    /// <inheritdoc />
    public Task<bool> CreateAsync(string key, string value, long lease, CancellationToken cancel) =>
        Txn(new Compare
        {
            Key = ByteString.CopyFromUtf8(key),
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = 0,
        }, new RequestOp { RequestPut = Put(key, value, lease) }, cancel);

    /// <inheritdoc />
    public async Task<bool> CreateAllAsync(IReadOnlyList<string> keys, string value, long lease, CancellationToken cancel)
    {
        // etcd refuses a transaction of more than --max-txn-ops (default 128) operations.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keys.Count, 64);
        var request = new TxnRequest();
        foreach (string key in keys)
        {
            request.Compare.Add(new Compare
            {
                Key = ByteString.CopyFromUtf8(key),
                Target = Compare.Types.CompareTarget.Create,
                Result = Compare.Types.CompareResult.Equal,
                CreateRevision = 0,
            });
            request.Success.Add(new RequestOp { RequestPut = Put(key, value, lease) });
        }
        var response = await Call(c => Connection.KVClient.TxnAsync(request, Options(c)).ResponseAsync, cancel).ConfigureAwait(false);
        if (response.Succeeded)
        {
            Wrote(response.Header);
        }
        return response.Succeeded;
    }

    /// <inheritdoc />
    public Task<bool> ReplaceAsync(string key, string value, long modRevision, CancellationToken cancel) =>
        Txn(new Compare
        {
            Key = ByteString.CopyFromUtf8(key),
            Target = Compare.Types.CompareTarget.Mod,
            Result = Compare.Types.CompareResult.Equal,
            ModRevision = modRevision,
        }, new RequestOp { RequestPut = Put(key, value, 0) }, cancel);

    /// <inheritdoc />
    public Task<bool> DeleteIfLeaseAsync(string key, long lease, CancellationToken cancel) =>
        Txn(new Compare
        {
            Key = ByteString.CopyFromUtf8(key),
            Target = Compare.Types.CompareTarget.Lease,
            Result = Compare.Types.CompareResult.Equal,
            Lease = lease,
        }, new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(key) } }, cancel);

    /// <inheritdoc />
    public async Task<bool> AnyEndpointAcceptsAsync(CancellationToken cancel)
    {
        var tries = _endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => Uri.TryCreate(e.Contains("://", StringComparison.Ordinal) ? e : "http://" + e, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Select(async uri =>
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                limit.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    await tcp.ConnectAsync(uri.Host, uri.Port == -1 ? 2379 : uri.Port, limit.Token).ConfigureAwait(false);
                    return true;
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    return false;
                }
            });
        return (await Task.WhenAll(tries).ConfigureAwait(false)).Any(ok => ok);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _channel.Client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> Txn(Compare compare, RequestOp then, CancellationToken cancel)
    {
        var request = new TxnRequest { Compare = { compare }, Success = { then } };
        var response = await Call(c => Connection.KVClient.TxnAsync(request, Options(c)).ResponseAsync, cancel).ConfigureAwait(false);
        if (response.Succeeded)
        {
            Wrote(response.Header);
        }
        return response.Succeeded;
    }

    /// <summary>Raises <see cref="LastWriteRevision"/> to the revision a successful write created.</summary>
    private void Wrote(ResponseHeader header)
    {
        long seen = Interlocked.Read(ref _lastWriteRevision);
        while (header.Revision > seen)
        {
            long was = Interlocked.CompareExchange(ref _lastWriteRevision, header.Revision, seen);
            if (was == seen)
            {
                return;
            }
            seen = was;
        }
    }

    private static PutRequest Put(string key, string value, long lease) =>
        new() { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value), Lease = lease };

    /// <summary>The end of the key range holding every key that starts with <paramref name="prefix"/>.</summary>
    internal static ByteString RangeEnd(string prefix)
    {
        byte[] end = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (int i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end.AsSpan(0, i + 1));
            }
        }
        return ByteString.CopyFrom(0);
    }

    /// <summary>
    /// The HTTP/2 transport: a dead member or a half-open connection is noticed within seconds (connect timeout,
    /// keep-alive pings while calls are open) instead of the TCP retransmission timeout. etcd refuses pings more
    /// often than every 5 s (its --grpc-keepalive-min-time), so the ping delay cannot be shorter.
    /// </summary>
    private static SocketsHttpHandler Handler() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        KeepAlivePingDelay = TimeSpan.FromSeconds(5),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        EnableMultipleHttp2Connections = true,
    };

    private CallOptions Options(CancellationToken cancel) =>
        new(deadline: DateTime.UtcNow + _callTimeout, cancellationToken: cancel);

    /// <summary>Runs one request, turning transport failures into <see cref="ClusterUnavailableException"/>.</summary>
    private async Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancel)
    {
        // With one member dead, the channel's round robin still picks it now and then, and the call fails at once
        // with "connection refused": never sent, so it is safe to send again, and the next pick is another member.
        // Without this, a step of the agent's loop that always fell on the dead member's turn never got through
        // (CI: web.4 not claimed for 60 s after one member of three was killed).
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var answer = await call(cancel).ConfigureAwait(false);
                Answered();
                return answer;
            }
            catch (RpcException e) when (attempt < _endpointCount && NeverSent(e) && !cancel.IsCancellationRequested)
            {
            }
            catch (Exception e) when (IsTransport(e) || (e is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                // A deadline can surface as the HTTP stack's own cancellation instead of a gRPC status.
                NoAnswer();
                cancel.ThrowIfCancellationRequested();
                throw new ClusterUnavailableException($"etcd at {_endpoints}: {Describe(e)}", e);
            }
        }
    }

    /// <summary>The connection to the member was refused: the request never left this process.</summary>
    private static bool NeverSent(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable
        && e.Status.DebugException is HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } };

    /// <summary>
    /// Failures of the connection rather than of the program: gRPC statuses, and the HTTP/2 and socket errors
    /// that streaming calls can surface directly when a member goes away mid-call.
    /// </summary>
    private static bool IsTransport(Exception e) =>
        e is RpcException or HttpRequestException or IOException or InvalidOperationException or ObjectDisposedException;

    private static string Describe(Exception e) => e switch
    {
        RpcException { StatusCode: StatusCode.DeadlineExceeded } => "no answer in time",
        RpcException { StatusCode: StatusCode.Unavailable } r => $"unavailable ({r.Status.Detail})",
        RpcException r => $"{r.StatusCode}: {r.Status.Detail}",
        OperationCanceledException => "no answer in time",
        _ => e.Message,
    };
}
