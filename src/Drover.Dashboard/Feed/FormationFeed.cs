using Drover.Control;
using Drover.Core.Control;
using Drover.Core.Control.Wire;
using Drover.Core.Supervision;
using Drover.Core.Supervision.Events;

namespace Drover.Dashboard.Feed;

/// <summary>
/// The formation as the page sees it, pushed to every open page: a sample (state, CPU%, RSS) every
/// <c>interval</c>, kept for the sparklines, and an extra frame (states only, CPU and RSS carried over) soon after
/// anything happens: the feed watches the supervisor's typed changes (<see cref="FormationView"/>), so it needs
/// neither to poll the supervisor nor to read its <c>system</c> lines.
/// </summary>
internal sealed class FormationFeed : IAsyncDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);

    private readonly FormationController _controller;
    private readonly PsView _sampler;
    private readonly PsView _statesOnly = new(new NoStats());
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly SemaphoreSlim _poked = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly SampleHistory _history;
    private readonly List<Action<FormationFrame>> _subscribers = [];
    private FormationFrame? _latest;
    private Task _loops = Task.CompletedTask;
    private IDisposable? _watch;

    public FormationFeed(FormationController controller, IProcessStats stats, TimeSpan interval, int historyPoints)
    {
        _controller = controller;
        _sampler = new PsView(stats);
        _interval = interval;
        _history = new SampleHistory(historyPoints);
    }

    /// <summary>The newest frame, or null before the first.</summary>
    public FormationFrame? Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    /// <summary>Starts sampling and watching.</summary>
    public void Start()
    {
        // Every change (a start, an exit, a stop, a restart, a removal) asks for a frame; a burst gets one.
        _watch = _controller.View.Watch(_ => Poke());
        _loops = Task.WhenAll(SampleLoopAsync(), PokeLoopAsync());
    }

    /// <summary>A copy of the recent samples of every instance.</summary>
    public Dictionary<string, Series> History()
    {
        lock (_gate)
        {
            return _history.Copy();
        }
    }

    /// <summary>Calls <paramref name="onFrame"/> (on the feed's thread: it must be quick) with each new frame, until disposed.</summary>
    public IDisposable Subscribe(Action<FormationFrame> onFrame)
    {
        lock (_gate)
        {
            _subscribers.Add(onFrame);
        }
        return new Unsubscriber(this, onFrame);
    }

    /// <summary>Asks for a fresh frame soon (after a control request, or a change of the formation).</summary>
    public void Poke()
    {
        try
        {
            _poked.Release();
        }
        catch (SemaphoreFullException)
        {
            // A refresh is already due.
        }
    }

    /// <summary>Takes a sample now (and waits for it); used when the server starts so the first page has data.</summary>
    public Task SampleNowAsync() => RefreshAsync(sample: true);

    private async Task SampleLoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        while (await Tick(timer))
        {
            await RefreshAsync(sample: true);
        }
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PokeLoopAsync()
    {
        try
        {
            while (true)
            {
                await _poked.WaitAsync(_stop.Token);
                // Lifecycle lines come in bursts (scaling up starts several processes): one frame for the burst.
                await Task.Delay(Settle, _stop.Token);
                await RefreshAsync(sample: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task RefreshAsync(bool sample)
    {
        try
        {
            await _refreshing.WaitAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            IReadOnlyList<InstanceSnapshot> snapshot;
            try
            {
                snapshot = await _controller.View.CurrentAsync();
            }
            catch (ControlException)
            {
                return; // The formation has stopped; the last frame stays.
            }
            long at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var rows = sample ? _sampler.Rows(snapshot) : CarryOver(_statesOnly.Rows(snapshot));
            var frame = new FormationFrame(at, sample, _controller.TypeNames, rows);
            Action<FormationFrame>[] subscribers;
            lock (_gate)
            {
                _latest = frame;
                if (sample)
                {
                    _history.Add(at, rows);
                }
                subscribers = [.. _subscribers];
            }
            foreach (var subscriber in subscribers)
            {
                subscriber(frame);
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    // CPU% over a few milliseconds would be noise: between samples, a process keeps its last sampled figures.
    private List<PsEntry> CarryOver(List<PsEntry> rows)
    {
        var previous = Latest?.Processes.Where(p => p.Pid is not null).ToDictionary(p => p.Pid!.Value) ?? [];
        return [.. rows.Select(r => r.Pid is int pid && previous.TryGetValue(pid, out var p) ? r with { CpuPercent = p.CpuPercent, RssBytes = p.RssBytes } : r)];
    }

    /// <summary>Stops the loops.</summary>
    public async ValueTask DisposeAsync()
    {
        _watch?.Dispose();
        await _stop.CancelAsync();
        await _loops;
        _stop.Dispose();
    }

    private sealed class NoStats : IProcessStats
    {
        public IReadOnlyDictionary<int, GroupUsage> Sample() => new Dictionary<int, GroupUsage>();
    }

    private sealed class Unsubscriber(FormationFeed feed, Action<FormationFrame> onFrame) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._subscribers.Remove(onFrame);
            }
        }
    }
}
