namespace Drover.Core.Output;

/// <summary>
/// Keeps chunks back while a hold is open, then passes them on in order at once: a burst of lines (e.g. 100
/// "started" lines) then wakes the writer once instead of once per line. Holds nest.
/// </summary>
internal sealed class OutputHold(Action<OutputChunk> passOn)
{
    // Guarded by _gate; _holding is read without it first, so output pays for the gate only while held.
    private readonly object _gate = new();
    private List<OutputChunk>? _held;
    private int _holds;
    private volatile bool _holding;

    /// <summary>Opens a hold; disposing the result closes it, and the last close passes on what was held.</summary>
    public IDisposable Open()
    {
        lock (_gate)
        {
            _held ??= [];
            _holds++;
            _holding = true;
        }
        return new Release(this);
    }

    /// <summary>Keeps <paramref name="chunk"/> while a hold is open, else passes it on now.</summary>
    public void Add(OutputChunk chunk)
    {
        if (_holding)
        {
            lock (_gate)
            {
                if (_held is not null)
                {
                    _held.Add(chunk);
                    return;
                }
            }
        }
        passOn(chunk);
    }

    private void Close()
    {
        lock (_gate)
        {
            if (--_holds > 0 || _held is null)
            {
                return;
            }
            // Under the gate, so a producer that saw _holding and waits for the gate writes after these.
            foreach (var chunk in _held)
            {
                passOn(chunk);
            }
            _held = null;
            _holding = false;
        }
    }

    private sealed class Release(OutputHold hold) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                hold.Close();
            }
        }
    }
}
