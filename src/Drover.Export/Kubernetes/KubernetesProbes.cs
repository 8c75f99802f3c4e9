using System.Globalization;
using Drover.Core.Settings;
using k8s.Models;

namespace Drover.Export.Kubernetes;

/// <summary>The per-type settings (docs/settings.md) of a Deployment's container: probes, env, stop.</summary>
internal static class KubernetesProbes
{
    /// <summary>A readiness or liveness probe; a probe port not given is the type's PORT.</summary>
    public static V1Probe? Probe(ProbeSpec? spec, int port, bool liveness)
    {
        if (spec is null)
        {
            return null;
        }
        var probe = new V1Probe
        {
            InitialDelaySeconds = (int)spec.InitialDelay.TotalSeconds,
            PeriodSeconds = Math.Max(1, (int)Math.Ceiling(spec.Period.TotalSeconds)),
            TimeoutSeconds = Math.Max(1, (int)Math.Ceiling(spec.Timeout.TotalSeconds)),
            // Kubernetes requires 1 for a liveness probe.
            SuccessThreshold = liveness ? 1 : spec.SuccessThreshold,
            FailureThreshold = spec.FailureThreshold,
        };
        switch (spec.Check)
        {
            case ProbeCheck.Http h:
                probe.HttpGet = new V1HTTPGetAction
                {
                    // The kubelet probes the pod's address; a loopback host would be the node's own.
                    Host = IsLoopback(h.Host) ? null : h.Host,
                    Path = h.Path,
                    Port = h.Port ?? port,
                    Scheme = h.Scheme.ToUpperInvariant(),
                };
                break;
            case ProbeCheck.Tcp t:
                probe.TcpSocket = new V1TCPSocketAction
                {
                    Host = IsLoopback(t.Host) ? null : t.Host,
                    Port = t.Port ?? port,
                };
                break;
            case ProbeCheck.Exec e:
                probe.Exec = new V1ExecAction { Command = [PortPrologue.Shell, "-c", e.Command] };
                break;
        }
        return probe;
    }

    /// <summary>A <c>preStop</c> hook running the type's <c>shutdown.command</c>, or null.</summary>
    public static V1Lifecycle? Lifecycle(TypeSettings settings) => settings.Shutdown.Command is string command
        ? new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = [PortPrologue.Shell, "-c", command] } } }
        : null;

    private static bool IsLoopback(string host) => host is "127.0.0.1" or "localhost" or "::1";
}
