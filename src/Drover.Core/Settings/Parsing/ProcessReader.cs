using Drover.Core.Supervision;
using YamlDotNet.RepresentationModel;

namespace Drover.Core.Settings.Parsing;

/// <summary>One entry of <c>processes:</c>.</summary>
internal static class ProcessReader
{
    public static TypeSettings Read(YamlReader reader, string type, YamlNode nameNode, YamlNode body)
    {
        var settings = new TypeSettings(type) { Source = reader.Source(nameNode) };
        foreach (var (key, _, value) in reader.Entries(body, type, SettingsKeys.Process))
        {
            string at = $"{type}.{key}";
            settings = key switch
            {
                "command" => reader.Text(value, at) is string c ? settings with { Command = CommandText.FromSettings(c) } : settings,
                "depends_on" => settings with { DependsOn = Dependencies(reader, value, at) },
                "readiness_probe" => settings with { Readiness = ProbeReader.Read(reader, value, at) },
                "liveness_probe" => settings with { Liveness = ProbeReader.Read(reader, value, at) },
                "ready_log_line" => settings with { ReadyLogLine = LogLine(reader, value, at) },
                "availability" => settings with { Availability = Availability(reader, value, at) },
                "shutdown" => settings with { Shutdown = Shutdown(reader, value, at) },
                "environment" => settings with { Environment = EnvironmentReader.Read(reader, value, at) },
                "env_file" => settings with { EnvFiles = [.. reader.List(value, at).Select(f => f.Value)] },
                "working_dir" => settings with { WorkingDirectory = reader.Text(value, at) },
                "disabled" => settings with { Disabled = reader.Bool(value, at) ?? false },
                "replicas" => settings with { Replicas = reader.Int(value, at, 0, 10000) },
                "watch" => settings with { Watch = WatchReader.Read(reader, value, at) },
                "log_location" => settings with { LogLocation = LogLocationOf(reader, value, at) },
                _ => settings, // description: for people only
            };
        }
        if (settings.Command is "")
        {
            reader.Error(nameNode, $"{type}.command: is empty");
        }
        return settings;
    }

    /// <summary>A file name ending in .log (its rotated files are NAME.log.SEQ), relative to the settings file's folder.</summary>
    private static LogLocation? LogLocationOf(YamlReader reader, YamlNode node, string key)
    {
        string? text = reader.Text(node, key);
        if (text is null)
        {
            return null;
        }
        string name = System.IO.Path.GetFileName(text);
        string? problem =
            text.Length == 0 ? "is empty; give a file such as logs/web.log"
            : text.Contains("{PC_REPLICA_NUM}", StringComparison.Ordinal) ? "{PC_REPLICA_NUM} is not supported by Drover: the instances of a type share its file, each line names its instance"
            : !name.EndsWith(Logs.LogFileName.Extension, StringComparison.Ordinal) || name.Length == Logs.LogFileName.Extension.Length
                ? $"'{text}' does not name a file ending in .log (its rotated files are NAME.log.SEQ beside it)"
            : null;
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(reader.File)) ?? "/";
        string path = problem is null ? System.IO.Path.GetFullPath(text, folder) : "";
        if (problem is null && Directory.Exists(path))
        {
            problem = $"'{text}' is a folder; give a file in it, such as {System.IO.Path.Combine(text, "out.log")}";
        }
        if (problem is not null)
        {
            reader.Error(node, $"{key}: {problem}");
            return null;
        }
        return new LogLocation(path, reader.Source(node));
    }

    private static string? LogLine(YamlReader reader, YamlNode node, string key)
    {
        string? text = reader.Text(node, key);
        if (text is null)
        {
            return null;
        }
        try
        {
            _ = new System.Text.RegularExpressions.Regex(text, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return text;
        }
        catch (ArgumentException e)
        {
            reader.Error(node, $"{key}: not a valid regular expression: {e.Message}");
            return null;
        }
    }

    private static List<Dependency> Dependencies(YamlReader reader, YamlNode node, string key)
    {
        var result = new List<Dependency>();
        // process-compose's form is a mapping of names to {condition}; a plain list of names means process_started.
        if (node is YamlSequenceNode)
        {
            foreach (var (name, item) in reader.List(node, key))
            {
                result.Add(new Dependency(name, DependencyCondition.Started, reader.Source(item)));
            }
            return result;
        }
        foreach (var (name, nameNode, body) in reader.NamedEntries(node, key))
        {
            var condition = DependencyCondition.Started;
            foreach (var (_, _, value) in reader.Entries(body, $"{key}.{name}", SettingsKeys.Dependency))
            {
                condition = Condition(reader, value, $"{key}.{name}.condition") ?? condition;
            }
            result.Add(new Dependency(name, condition, reader.Source(nameNode)));
        }
        return result;
    }

    private static DependencyCondition? Condition(YamlReader reader, YamlNode node, string key)
    {
        switch (reader.Text(node, key))
        {
            case "process_started": return DependencyCondition.Started;
            case "process_healthy": return DependencyCondition.Healthy;
            case "process_completed": return DependencyCondition.Completed;
            case "process_completed_successfully": return DependencyCondition.CompletedSuccessfully;
            case "process_log_ready": return DependencyCondition.LogReady;
            case string other:
                reader.Error(node, $"{key}: unknown condition '{other}'; expected process_started, process_healthy, process_completed, process_completed_successfully or process_log_ready");
                return null;
            default:
                return null;
        }
    }

    private static AvailabilitySpec Availability(YamlReader reader, YamlNode node, string key)
    {
        var spec = AvailabilitySpec.Inherit;
        foreach (var (name, _, value) in reader.Entries(node, key, SettingsKeys.Availability))
        {
            string at = $"{key}.{name}";
            spec = name switch
            {
                "restart" => reader.Text(value, at) switch
                {
                    "always" => spec with { Restart = RestartPolicy.Always },
                    "on_failure" => spec with { Restart = RestartPolicy.OnFailure },
                    "no" or "never" => spec with { Restart = RestartPolicy.Never },
                    "exit_on_failure" => spec with { Restart = RestartPolicy.Never, ExitOnFailure = true },
                    string other => Bad(reader, value, $"{at}: unknown policy '{other}'; expected always, on_failure, exit_on_failure or no", spec),
                    null => spec,
                },
                "backoff_seconds" => spec with { BackoffSeconds = reader.Seconds(value, at) },
                // As in process-compose, 0 means no limit.
                "max_restarts" => spec with { MaxRestarts = reader.Int(value, at, 0) is int max and > 0 ? max : null },
                _ => spec,
            };
        }
        return spec;
    }

    private static ShutdownSpec Shutdown(YamlReader reader, YamlNode node, string key)
    {
        var spec = ShutdownSpec.Inherit;
        foreach (var (name, _, value) in reader.Entries(node, key, SettingsKeys.Shutdown))
        {
            string at = $"{key}.{name}";
            spec = name switch
            {
                "signal" => spec with { Signal = Signal(reader, value, at) },
                "timeout_seconds" => reader.Seconds(value, at) is double s ? spec with { Timeout = TimeSpan.FromSeconds(s) } : spec,
                _ => reader.Text(value, at) is string c ? spec with { Command = CommandText.FromSettings(c) } : spec,
            };
        }
        return spec;
    }

    /// <summary>A signal number as in process-compose (15), or a name (SIGTERM, TERM).</summary>
    private static int? Signal(YamlReader reader, YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: string text } && text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] != '-')
        {
            string name = text.StartsWith("SIG", StringComparison.Ordinal) ? text : "SIG" + text;
            for (int n = 1; n < 32; n++)
            {
                if (Signals.Name(n) == name)
                {
                    return n;
                }
            }
            reader.Error(node, $"{key}: unknown signal '{text}'; give a number (15) or a name (SIGTERM)");
            return null;
        }
        return reader.Int(node, key, 1, 64);
    }

    private static T Bad<T>(YamlReader reader, YamlNode node, string message, T keep)
    {
        reader.Error(node, message);
        return keep;
    }
}
