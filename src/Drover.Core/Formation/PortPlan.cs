using System.Globalization;
using Drover.Core.Diagnostics;
using Drover.Core.Procfile;

namespace Drover.Core.Formation;

/// <summary>
/// Foreman's port rule: instance k (1-based) of the type at Procfile index i (0-based) gets
/// <c>base + 100*i + (k-1)</c>.
/// </summary>
/// <param name="BasePort">The port of the first instance of the first type.</param>
public sealed record PortPlan(int BasePort)
{
    /// <summary>The base used when neither <c>-p</c> nor <c>$PORT</c> gives one, as in Foreman.</summary>
    public const int DefaultBasePort = 5000;

    private const int MaxPort = 65535;

    /// <summary>The port for one instance.</summary>
    /// <param name="typeIndex">The 0-based index of the type in the Procfile, counting every type.</param>
    /// <param name="instanceIndex">The 1-based instance number.</param>
    /// <returns>
    /// The port; it may exceed 65535 with a high base and many types, which the caller must report, because
    /// Foreman does not check either and the answer depends on which instances actually start.
    /// </returns>
    public int PortFor(int typeIndex, int instanceIndex)
    {
        // Programming errors, not user input: the formation only produces indexes in range.
        ArgumentOutOfRangeException.ThrowIfNegative(typeIndex);
        ArgumentOutOfRangeException.ThrowIfLessThan(instanceIndex, 1);
        return checked(BasePort + (100 * typeIndex) + (instanceIndex - 1));
    }

    /// <summary>Chooses the base port: <c>-p</c> first, else <c>$PORT</c>, else 5000.</summary>
    /// <param name="portFlag">The value of <c>-p</c>/<c>--port</c>, or null when not given.</param>
    /// <param name="portEnv">
    /// <c>PORT</c> from the merged environment (env files over the OS), or null; blank counts as unset.
    /// </param>
    /// <returns>The plan, or a diagnostic when the chosen value is not a port from 1 to 65535.</returns>
    public static Result<PortPlan> Resolve(int? portFlag, string? portEnv)
    {
        if (portFlag is { } flag)
        {
            return InRange(flag)
                ? Result<PortPlan>.Success(new PortPlan(flag))
                : Result<PortPlan>.Failure(new Diagnostic("-p", 0, 0,
                    $"port {flag.ToString(CultureInfo.InvariantCulture)} is out of range; expected 1 to {MaxPort}"));
        }

        var text = portEnv?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Result<PortPlan>.Success(new PortPlan(DefaultBasePort));
        }

        var isNumber = text.All(char.IsAsciiDigit);
        if (isNumber && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && InRange(port))
        {
            return Result<PortPlan>.Success(new PortPlan(port));
        }

        var quoted = ProcfileParser.Quote(text);
        return Result<PortPlan>.Failure(new Diagnostic("environment", 0, 0, isNumber
            ? $"PORT={quoted} is out of range; expected a port from 1 to {MaxPort}"
            : $"PORT={quoted} is not a number; expected a port from 1 to {MaxPort}"));
    }

    /// <summary>Reports every instance of <paramref name="formation"/> whose port would exceed 65535.</summary>
    public Result<PortPlan> Check(Formation formation)
    {
        var errors = new List<Diagnostic>();
        foreach (var entry in formation.Entries.Where(e => e.Count > 0))
        {
            // In long: a count near int.MaxValue must give this error, not an overflow.
            long highest = (long)BasePort + (100L * entry.TypeIndex) + (entry.Count - 1L);
            if (highest > MaxPort)
            {
                errors.Add(new Diagnostic("-p", 0, 0,
                    $"base port {BasePort.ToString(CultureInfo.InvariantCulture)} gives {new InstanceName(entry.Type.Name, entry.Count)} " +
                    $"port {highest.ToString(CultureInfo.InvariantCulture)}, above {MaxPort}; choose a lower base"));
            }
        }
        return errors.Count == 0 ? Result<PortPlan>.Success(this) : Result<PortPlan>.Failure(errors);
    }

    private static bool InRange(int port) => port is >= 1 and <= MaxPort;
}
