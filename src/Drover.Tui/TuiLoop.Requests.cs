using System.Net.Sockets;
using System.Text.Json;
using Drover.Control;
using Drover.Core.Control.Wire;

namespace Drover.Tui;

/// <summary>Requests to the control API, and attaching to an instance's terminal.</summary>
internal sealed partial class TuiLoop
{
    /// <summary>The detach key, as `drover attach`: Ctrl-].</summary>
    private const byte DetachKey = 0x1d;

    private void Scale(string type, int delta)
    {
        int count = Math.Max(0, (_state.Desired.TryGetValue(type, out int d) ? d : _state.CountOf(type)) + delta);
        _state.Desired[type] = count;
        string body = JsonSerializer.Serialize(new ScaleRequest(new Dictionary<string, int> { [type] = count }), WireJson.Default.ScaleRequest);
        Send("v1/scale", body, $"scale {type}={count}");
    }

    private void Request(string verb, string target, string what) =>
        Send($"v1/{verb}", JsonSerializer.Serialize(new TargetRequest(target), WireJson.Default.TargetRequest), what);

    // Requests run beside the loop (a rolling restart takes a while); the outcome comes back as a message.
    private void Send(string path, string body, string what)
    {
        Say($"{what}…");
        _ = Task.Run(async () =>
        {
            string outcome;
            try
            {
                var (status, answer) = await _client.SendAsync(HttpMethod.Post, path, body);
                outcome = status is >= 200 and < 300 ? $"{what}: done" : $"{what}: {ErrorText(answer)}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                outcome = $"{what}: no answer ({e.Message})";
            }
            Post(() =>
            {
                Say(outcome);
                _dirty = true;
            });
        });
    }

    private static string ErrorText(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, WireJson.Default.ErrorResponse)?.Error ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    /// <summary>
    /// Hands the terminal to <paramref name="instance"/>'s terminal, as `drover attach` does (the same request), until
    /// Ctrl-] or the end of its terminal; then takes the screen back. Run in this process rather than as a child
    /// `drover attach`: under `drover start --tui` every child is reaped by the formation's own reaper.
    /// </summary>
    private void Attach(string instance)
    {
        _attached = true;
        Say($"attaching to {instance}…");
        _ = Task.Run(async () =>
        {
            string outcome;
            try
            {
                outcome = await AttachSessionAsync(instance);
            }
            catch (Exception e) when (e is SocketException or IOException or UntrustedSocketException)
            {
                outcome = $"attach {instance}: {e.Message}";
            }
            finally
            {
                _keys?.Divert(null);
            }
            Post(() =>
            {
                _screen.Resume();
                _attached = false;
                _dirty = true;
                Say(outcome);
            });
        });
    }

    private async Task<string> AttachSessionAsync(string instance)
    {
        var (stream, _, error) = await AttachClient.ConnectAsync(_options.SocketPath, _options.OwnUid, instance);
        if (stream is null)
        {
            return $"attach {instance}: {ErrorText(error)}";
        }
        await using var _ = stream;
        _screen.Suspend();
        _screen.WriteRaw(System.Text.Encoding.UTF8.GetBytes($"\r\ndrover: attached to {instance}; Ctrl-] goes back to the UI (the process keeps running)\r\n"));
        var detach = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _keys?.Divert(bytes =>
        {
            int key = bytes.Span.IndexOf(DetachKey);
            try
            {
                stream.Write(key < 0 ? bytes.Span : bytes.Span[..key]);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The session ended under us.
            }
            if (key >= 0)
            {
                detach.TrySetResult();
            }
        });
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    _screen.WriteRaw(buffer.AsSpan(0, n));
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Closed by the detach, or by Drover.
            }
        });
        await Task.WhenAny(reading, detach.Task);
        return detach.Task.IsCompleted ? $"detached from {instance}; it keeps running" : $"{instance}'s terminal closed";
    }
}
