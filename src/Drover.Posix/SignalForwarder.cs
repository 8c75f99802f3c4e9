using System.Runtime.InteropServices;
using Drover.Posix.Interop;

namespace Drover.Posix;

/// <summary>
/// Passes the signals Drover receives on to one child: <c>drover run</c>'s command, or the real Drover under a
/// PID 1 Drover. Registered before the child is started, so a signal that arrives while it starts is held and sent
/// once its pid is known, rather than killing Drover and leaving the child running.
/// </summary>
internal sealed class SignalForwarder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _pid;
    private int _pending;

    /// <summary>Forwards each of <paramref name="forwarded"/> (PosixSignal's values are not the kernel's numbers, so
    /// the number to send is given beside each) and swallows each of <paramref name="swallowed"/>.</summary>
    public SignalForwarder(IEnumerable<(PosixSignal Signal, int Number)> forwarded, IEnumerable<PosixSignal> swallowed)
    {
        foreach (var (signal, number) in forwarded)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                Forward(number);
            }));
        }
        foreach (var signal in swallowed)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, ctx => ctx.Cancel = true));
        }
    }

    /// <summary>The child is <paramref name="pid"/>: a signal held until now is sent to it.</summary>
    public void Started(int pid)
    {
        lock (_gate)
        {
            _pid = pid;
            if (_pending != 0)
            {
                _ = Libc.kill(pid, _pending);
            }
        }
    }

    private void Forward(int number)
    {
        lock (_gate)
        {
            if (_pid > 0)
            {
                _ = Libc.kill(_pid, number);
            }
            else
            {
                _pending = number;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _registrations.ForEach(r => r.Dispose());
}
