using Drover.Core.Output;
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
        BackoffOptions backoff)
    {
        var instances = new List<Instance>();
        foreach (var entry in formation.Entries)
        {
            var output = new OutputSource(entry.Type.Name, entry.TypeIndex);
            for (int k = 1; k <= entry.Count; k++)
            {
                var name = new InstanceName(entry.Type.Name, k);
                var env = new Dictionary<string, string>(environment, StringComparer.Ordinal)
                {
                    ["PORT"] = ports.PortFor(entry.TypeIndex, k).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["PS"] = name.ToString(),
                    ["DYNO"] = name.ToString(),
                };
                var spec = new ProcessSpec(name.ToString(), entry.Type.Command, workingDirectory, env);
                instances.Add(new Instance(name, spec, output with { Name = name.ToString() }, backoff));
            }
        }
        return instances;
    }

    /// <summary>The widest name the output will show, to pad prefixes to.</summary>
    public static int NameWidth(IEnumerable<Instance> instances) =>
        instances.Select(i => i.Name.ToString().Length).DefaultIfEmpty(0).Max();
}
