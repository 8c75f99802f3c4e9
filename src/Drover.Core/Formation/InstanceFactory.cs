using System.Globalization;
using Drover.Core.Output;
using Drover.Core.Procfile;
using Drover.Core.Settings;
using Drover.Core.Supervision;

namespace Drover.Core.Formation;

/// <summary>
/// Creates instances of an app's process types: command, working directory, and the environment with
/// <c>PORT</c> by the Foreman rule, <c>PS</c> and <c>DYNO</c>. Used at start, when scaling up and when
/// reloading (a new factory from the re-read files).
/// </summary>
public sealed class InstanceFactory(
    ProcfileDocument procfile,
    PortPlan ports,
    IReadOnlyDictionary<string, string> environment,
    string workingDirectory,
    BackoffOptions backoff,
    SettingsDocument? settings = null,
    IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>? typeEnvironments = null)
{
    private readonly SettingsDocument _settings = settings ?? SettingsDocument.Empty;

    /// <summary>The per-type settings the instances get (empty without a settings file).</summary>
    public SettingsDocument Settings => _settings;

    /// <summary>The Procfile the instances come from.</summary>
    public ProcfileDocument Procfile => procfile;

    /// <summary>The port rule.</summary>
    public PortPlan Ports => ports;

    /// <summary>Instance <paramref name="index"/> (1-based) of <paramref name="type"/>, which must be in the Procfile.</summary>
    public Instance Create(string type, int index)
    {
        int typeIndex = procfile.IndexOf(type);
        if (typeIndex < 0)
        {
            throw new ArgumentException($"unknown process type '{type}'", nameof(type));
        }
        var name = new InstanceName(type, index);
        int port = ports.PortFor(typeIndex, index);
        var typeSettings = _settings.For(type);
        var env = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        // The settings file's environment is laid over the app's, and PORT, PS and DYNO over both.
        var overlay = typeEnvironments?.GetValueOrDefault(type) ?? _settings.Environment;
        foreach (var (key, value) in overlay)
        {
            env[key] = value;
        }
        env["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        env["PS"] = name.ToString();
        env["DYNO"] = name.ToString();
        // A missing working_dir is found when the process starts: a failed start, as for any start error.
        string directory = typeSettings.WorkingDirectory is string dir ? Path.GetFullPath(dir, workingDirectory) : workingDirectory;
        var spec = new ProcessSpec(name.ToString(), procfile.Types[typeIndex].Command, directory, env) { Port = port };
        var backoffOptions = typeSettings.Availability.BackoffSeconds is double fixedDelay
            ? backoff with { Initial = TimeSpan.FromSeconds(fixedDelay), Max = TimeSpan.FromSeconds(fixedDelay), Fixed = true }
            : backoff;
        return new Instance(name, spec, new OutputSource(name.ToString(), typeIndex), backoffOptions)
        {
            Settings = typeSettings,
        };
    }

    /// <summary>Every instance of <paramref name="formation"/>, in Procfile order.</summary>
    public IReadOnlyList<Instance> CreateAll(Formation formation) =>
        formation.Entries
            .SelectMany(e => Enumerable.Range(1, e.Count).Select(k => Create(e.Type.Name, k)))
            .ToList();
}
