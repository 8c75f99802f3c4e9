using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Core.Probes;

/// <summary>Makes the check a probe describes, aimed at one instance.</summary>
public static class ProbeChecks
{
    /// <summary>
    /// The check <paramref name="check"/> against the instance run as <paramref name="spec"/>: a probe without a
    /// port uses the instance's PORT; an exec runs with the instance's environment and directory (or its own).
    /// </summary>
    public static IProbeCheck Create(ProbeCheck check, ProcessSpec spec, IProcessLauncher launcher) => check switch
    {
        ProbeCheck.Tcp t => new TcpProbeCheck(HostOr(t.Host), PortOf(t.Port, spec)),
        ProbeCheck.Http h => new HttpProbeCheck(
            HttpProbeCheck.UriFor(string.IsNullOrEmpty(h.Scheme) ? "http" : h.Scheme, HostOr(h.Host), PortOf(h.Port, spec), h.Path), h.ExpectedStatus),
        ProbeCheck.Exec e => new ExecProbeCheck(launcher, spec with
        {
            Name = $"{spec.Name} probe",
            Helper = true,
            Command = e.Command,
            WorkingDirectory = e.WorkingDirectory is string dir ? Path.Combine(spec.WorkingDirectory, dir) : spec.WorkingDirectory,
        }),
        _ => throw new ArgumentException($"unknown probe check {check}", nameof(check)),
    };

    private static string HostOr(string host) => string.IsNullOrEmpty(host) ? "127.0.0.1" : host;

    private static int PortOf(int? port, ProcessSpec spec) =>
        port ?? spec.Port ?? throw new ArgumentException($"{spec.Name} has no PORT for its probe");
}
