using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Drover.Cli.Tests.Support;

/// <summary>
/// Everything one output stream of a process wrote: the raw bytes, and the same split into lines (decoded as UTF-8,
/// invalid bytes replaced) that tests can wait for. Written by one reader task, read by the test: all under a lock.
/// </summary>
internal sealed class OutputLog(string streamName)
{
    private readonly object _gate = new();
    private readonly ArrayBufferWriter<byte> _bytes = new(64 * 1024);
    private readonly List<string> _lines = [];
    private readonly List<Waiter> _waiters = [];
    private int _lineStart;
    private bool _ended;

    /// <summary>Every complete line so far (and, once the stream ended, the unterminated last one).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Every byte so far, exactly as written.</summary>
    public byte[] Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes.WrittenSpan.ToArray();
            }
        }
    }

    /// <summary>Everything so far as text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>Adds bytes read from the stream.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            int from = _bytes.WrittenCount;
            _bytes.Write(data);
            var all = _bytes.WrittenSpan;
            int newline;
            while ((newline = all[from..].IndexOf((byte)'\n')) >= 0)
            {
                int end = from + newline;
                AddLine(Encoding.UTF8.GetString(all[_lineStart..end]));
                _lineStart = end + 1;
                from = end + 1;
            }
        }
    }

    /// <summary>The stream is at its end: an unterminated last line counts as a line, and pending waits fail.</summary>
    public void End()
    {
        lock (_gate)
        {
            if (_lineStart < _bytes.WrittenCount)
            {
                AddLine(Encoding.UTF8.GetString(_bytes.WrittenSpan[_lineStart..]));
                _lineStart = _bytes.WrittenCount;
            }
            _ended = true;
            foreach (var waiter in _waiters)
            {
                waiter.Done.TrySetException(new InvalidOperationException(
                    $"{streamName} ended with {waiter.Seen} of {waiter.Occurrence} line(s) matching {waiter.Description}"));
            }
            _waiters.Clear();
        }
    }

    /// <summary>
    /// Completes with the <paramref name="occurrence"/>-th line (counting from the first line ever written) that
    /// matches <paramref name="predicate"/>; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>,
    /// and <see cref="InvalidOperationException"/> as soon as the stream ends without it.
    /// </summary>
    public async Task<string> WaitForLineAsync(
        Func<string, bool> predicate,
        TimeSpan timeout,
        int occurrence = 1,
        [CallerArgumentExpression(nameof(predicate))] string description = "")
    {
        Waiter waiter;
        lock (_gate)
        {
            int seen = 0;
            foreach (string line in _lines)
            {
                if (predicate(line) && ++seen == occurrence)
                {
                    return line;
                }
            }
            waiter = new Waiter(predicate, occurrence, description) { Seen = seen };
            if (_ended)
            {
                throw new InvalidOperationException($"{streamName} ended with {seen} of {occurrence} line(s) matching {description}");
            }
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
            throw new TimeoutException(
                $"no {occurrence}. line matching {description} on {streamName} within {timeout.TotalSeconds} s ({waiter.Seen} seen)");
        }
    }

    private void AddLine(string line)
    {
        _lines.Add(line);
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.Predicate(line) && ++waiter.Seen == waiter.Occurrence)
            {
                waiter.Done.TrySetResult(line);
                _waiters.RemoveAt(i);
            }
        }
    }

    private sealed class Waiter(Func<string, bool> predicate, int occurrence, string description)
    {
        public Func<string, bool> Predicate { get; } = predicate;

        public int Occurrence { get; } = occurrence;

        public string Description { get; } = description;

        public int Seen { get; set; }

        public TaskCompletionSource<string> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
