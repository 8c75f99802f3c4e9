using Drover.Core.Formation;

namespace Drover.Export;

/// <summary>Everything an exporter needs: the formation and how to run it.</summary>
/// <param name="App">The app name, already validated (<see cref="ExportValidation.AppName"/>).</param>
/// <param name="User">
/// The user to run as, or null when <c>-u</c> was not given: the process-manager formats then use the app name
/// (as Foreman does), the container formats leave the image's user alone.
/// </param>
/// <param name="Formation">Counts per type, in Procfile order.</param>
/// <param name="Ports">The PORT rule (base port).</param>
/// <param name="Environment">
/// The variables from the env files only (not the OS environment of the machine that exports), without
/// <c>PORT</c>, <c>PS</c> and <c>DYNO</c>, which are set per instance.
/// </param>
/// <param name="WorkingDirectory">The absolute app root, where processes start.</param>
/// <param name="WorkingDirectoryGiven">
/// True when <c>-d</c> was given: the container formats set a working directory only then, because a host
/// path means nothing inside an image.
/// </param>
/// <param name="StopTimeoutSeconds">Seconds between SIGTERM and SIGKILL (<c>-t</c>).</param>
/// <param name="Image">The container image (<c>--image</c>), required by the container formats.</param>
/// <param name="ListenTypes">
/// The types that listen on PORT (<c>--listen</c>), or null for the default: <c>web</c> when the Procfile has it.
/// </param>
public sealed record ExportRequest(
    string App,
    string? User,
    Formation Formation,
    PortPlan Ports,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    bool WorkingDirectoryGiven,
    int StopTimeoutSeconds,
    string? Image,
    IReadOnlyList<string>? ListenTypes)
{
    /// <summary>The per-type settings (docs/settings.md); what a format cannot carry is named by <see cref="Settings.SettingsCarriage"/>.</summary>
    public Core.Settings.SettingsDocument Settings { get; init; } = Core.Settings.SettingsDocument.Empty;

    /// <summary>What the settings file adds to each type's environment, in order (<see cref="Core.App.LoadedApp.TypeEnvironments"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> TypeEnvironments { get; init; } =
        new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>();

    /// <summary>The settings of <paramref name="type"/> (its defaults without a settings file).</summary>
    public Core.Settings.TypeSettings SettingsOf(string type) => Settings.For(type);

    /// <summary>What the settings file adds to <paramref name="type"/>'s environment, last value of each name, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> TypeEnvironment(string type)
    {
        var overlay = TypeEnvironments.GetValueOrDefault(type) ?? Settings.Environment;
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in overlay.Where(e => e.Key is not ("PORT" or "PS" or "DYNO")))
        {
            last[key] = value;
        }
        return [.. last.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <summary>The app's environment with <paramref name="type"/>'s settings laid over it, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentOf(string type)
    {
        var merged = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (key, value) in TypeEnvironment(type))
        {
            merged[key] = value;
        }
        return [.. merged.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <summary>True when some running type has environment from the settings file.</summary>
    public bool HasTypeEnvironment => Running().Any(e => TypeEnvironment(e.Type.Name).Count > 0);

    /// <summary>The type that listens when <c>--listen</c> is not given.</summary>
    public const string DefaultListenType = "web";

    /// <summary>The user the process-manager formats run as: <c>-u</c>, else the app name (Foreman's default).</summary>
    public string RunAs => User ?? App;

    /// <summary>The environment in a stable order (ordinal by name), so exports are byte-for-byte repeatable.</summary>
    public IEnumerable<KeyValuePair<string, string>> SortedEnvironment() =>
        Environment.OrderBy(e => e.Key, StringComparer.Ordinal);

    /// <summary>The types with at least one instance, in Procfile order.</summary>
    public IEnumerable<FormationEntry> Running() => Formation.Entries.Where(e => e.Count > 0);

    /// <summary>True when <paramref name="type"/> listens on PORT and gets a Service / exposed port.</summary>
    public bool Listens(string type) => ListenTypes is null
        ? type == DefaultListenType
        : ListenTypes.Contains(type, StringComparer.Ordinal);

    /// <summary>The port of instance <paramref name="index"/> (1-based) of <paramref name="entry"/>, as text.</summary>
    public string Port(FormationEntry entry, int index) =>
        Ports.PortFor(entry.TypeIndex, index).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
