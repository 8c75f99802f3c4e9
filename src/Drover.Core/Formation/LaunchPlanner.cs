using Drover.Core.Supervision;

namespace Drover.Core.Formation;

/// <summary>Turns a formation into instances with their commands, ports and environments.</summary>
public static class LaunchPlanner
{
    /// <summary>
    /// One instance per process to run, in Procfile order. Each gets <paramref name="environment"/> plus
    /// <c>PORT</c> by the Foreman rule, <c>PS</c> (Foreman) and <c>DYNO</c> (Heroku) set to its name.
    /// </summary>
    public static IReadOnlyList<Instance> Plan(
        Formation formation,
        PortPlan ports,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        BackoffOptions backoff) =>
        new InstanceFactory(formation.Procfile, ports, environment, workingDirectory, backoff).CreateAll(formation);

    /// <summary>The widest name the output will show, to pad prefixes to.</summary>
    public static int NameWidth(IEnumerable<Instance> instances) =>
        instances.Select(i => i.Name.ToString().Length).DefaultIfEmpty(0).Max();
}
