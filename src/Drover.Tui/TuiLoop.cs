using System.Threading.Channels;
using Drover.Control;
using Drover.Tui.Feed;
using Drover.Tui.Model;
using Drover.Tui.Terminal;
using Drover.Tui.View;

namespace Drover.Tui;

/// <summary>
/// The UI's one loop: everything that happens (keys, frames of the formation, log lines, a resize, the end of the
/// formation, the answer to a request) is posted to it as an action and applied on it, so the state has one owner.
/// The screen is redrawn after changes, at most once per <see cref="TuiOptions.FrameInterval"/>, and only the rows
/// that differ are written.
/// </summary>
internal sealed partial class TuiLoop : IDisposable
{
    private readonly TuiOptions _options;
    private readonly ControlClient _client;
    private readonly TerminalScreen _screen;
    private readonly Styles _styles;
    private readonly TuiState _state;
    private readonly Channel<Action> _inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly object _pendingGate = new();
    private readonly List<string> _pendingLines = [];
    private bool _wakePending; // guarded by _pendingGate
    private volatile CancellationTokenSource? _logFeed;
    private bool _dirty = true;
    private bool _attached;
    private string? _ended;
    private bool _quit;

    public TuiLoop(TuiOptions options, ControlClient client, TerminalScreen screen)
    {
        _options = options;
        _client = client;
        _screen = screen;
        _styles = new Styles(options.Color);
        _state = new TuiState(options.LogCapacity);
    }

    /// <summary>Why the UI ended when the formation did (null when the user quit).</summary>
    public string? Ended => _ended;

    /// <summary>Runs until the user quits or the formation ends.</summary>
    public async Task RunAsync(KeyReader keys)
    {
        _keys = keys;
        _ = FollowFormationAsync();
        FollowLog(null);
        var next = DateTimeOffset.UtcNow;
        Task<bool>? waiting = null;
        while (!_quit)
        {
            var now = DateTimeOffset.UtcNow;
            if (_dirty && !_attached && now >= next)
            {
                Draw();
                next = now + _options.FrameInterval;
            }
            waiting ??= _inbox.Reader.WaitToReadAsync().AsTask();
            if (_dirty && !_attached)
            {
                await Task.WhenAny(waiting, Task.Delay(next - now > TimeSpan.Zero ? next - now : TimeSpan.Zero));
            }
            else
            {
                await waiting;
            }
            if (waiting.IsCompleted)
            {
                waiting = null;
            }
            while (!_quit && _inbox.Reader.TryRead(out var action))
            {
                action();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop (from any thread).</summary>
    public void Post(Action action) => _inbox.Writer.TryWrite(action);

    /// <summary>Ends the loop (from any thread): a signal, the terminal gone.</summary>
    public void Quit() => Post(() => _quit = true);

    /// <summary>The terminal changed size: lay out again.</summary>
    public void Resized() => Post(() =>
    {
        _screen.Invalidate();
        _dirty = true;
    });

    private void Draw()
    {
        TakePendingLines();
        var (rows, columns) = TerminalScreen.Size;
        _screen.Present(Renderer.Render(_state, rows, columns, _styles, _options.AppName, _options.StopFormation is not null));
        _dirty = false;
    }

    private async Task FollowFormationAsync()
    {
        string reason;
        try
        {
            reason = await ControlFeeds.FollowFormationAsync(_client, frame => Post(() =>
            {
                _state.Frame = frame;
                foreach (var type in _state.Desired.Keys.Where(t => _state.CountOf(t) == _state.Desired[t]).ToList())
                {
                    _state.Desired.Remove(type);
                }
                _dirty = true;
            }), _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            reason = "the formation ended (the control socket closed)";
        }
        Post(() =>
        {
            _ended = reason;
            _quit = true;
        });
    }

    private void FollowLog(string? target)
    {
        var old = _logFeed;
        var feed = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        lock (_pendingGate)
        {
            _logFeed = feed;
            _pendingLines.Clear();
        }
        old?.Cancel();
        _state.LogTarget = target;
        _state.Log.Clear();
        _dirty = true;
        _ = Task.Run(async () =>
        {
            int recent = 200;
            while (!feed.IsCancellationRequested)
            {
                try
                {
                    await ControlFeeds.FollowLogAsync(_client, target, recent, lines => Pend(feed, lines), feed.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // The formation went away: the events stream ends the UI.
                }
                // Cut off for falling behind (said in the last line), or the formation ending: follow on from now.
                recent = 0;
                await Task.Delay(500, feed.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
    }

    // On the feed's task. A busy log brings hundreds of reads a second: the lines wait here, and the loop is woken
    // once until it takes them when it draws, so a flood costs one wake-up per frame, not one per read.
    private void Pend(CancellationTokenSource feed, IReadOnlyList<string> lines)
    {
        var clean = lines.Select(TextCells.Clean).ToList();
        lock (_pendingGate)
        {
            if (feed != _logFeed)
            {
                return; // Lines of a target no longer followed.
            }
            _pendingLines.AddRange(clean);
            if (_pendingLines.Count > _options.LogCapacity)
            {
                _pendingLines.RemoveRange(0, _pendingLines.Count - _options.LogCapacity);
            }
            if (_wakePending)
            {
                return;
            }
            _wakePending = true;
        }
        Post(() => _dirty = true);
    }

    private void TakePendingLines()
    {
        List<string> lines;
        lock (_pendingGate)
        {
            _wakePending = false;
            if (_pendingLines.Count == 0)
            {
                return;
            }
            lines = [.. _pendingLines];
            _pendingLines.Clear();
        }
        _state.Log.Add(lines);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _logFeed?.Dispose();
        _stop.Dispose();
    }
}
