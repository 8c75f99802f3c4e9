namespace Drover.Core.Settings.Parsing;

/// <summary>
/// The keys of each level of the settings file: those Drover reads, and those of process-compose's schema that
/// Drover does not support (reported as such, rather than as unknown). Anything else is unknown, with the
/// nearest known key suggested.
/// </summary>
internal sealed record SettingsKeys(string Level, string[] Supported, string[] Unsupported)
{
    public static readonly SettingsKeys Top = new("top level",
        ["version", "name", "processes", "environment", "ordered_shutdown", "is_strict"],
        ["log_location", "log_level", "log_length", "log_configuration", "log_format", "shell", "vars",
         "disable_env_expansion", "is_tui_disabled", "extends", "env_cmds", "file_names", "env_file_names",
         "dot_env_vars", "mcp_server"]);

    public static readonly SettingsKeys Process = new("process",
        ["command", "description", "depends_on", "readiness_probe", "liveness_probe", "ready_log_line", "availability",
         "shutdown", "environment", "env_file", "working_dir", "disabled", "replicas", "watch", "log_location"],
        ["name", "extends", "is_daemon", "entrypoint", "log_configuration", "disable_ansi_colors",
         "namespace", "vars", "is_foreground", "is_tty", "is_elevated", "is_interactive", "launch_timeout_seconds",
         "is_disabled", "is_dotenv_disabled", "original_config", "replica_num", "replica_name", "executable", "args",
         "schedule", "mcp", "truncate_log", "is_template_disabled", "monitor_for", "monitor_silence_threshold",
         "success_exit_codes"]);

    public static readonly SettingsKeys Availability = new("availability",
        ["restart", "backoff_seconds", "max_restarts"],
        ["exit_on_end", "exit_on_skipped"]);

    public static readonly SettingsKeys Shutdown = new("shutdown",
        ["signal", "timeout_seconds", "command"],
        ["parent_only", "send_keys"]);

    public static readonly SettingsKeys Dependency = new("depends_on entry", ["condition"], []);

    public static readonly SettingsKeys Probe = new("probe",
        ["exec", "http_get", "tcp_socket", "initial_delay_seconds", "period_seconds", "timeout_seconds",
         "success_threshold", "failure_threshold"],
        []);

    public static readonly SettingsKeys Exec = new("exec probe", ["command", "working_dir"], []);

    public static readonly SettingsKeys HttpGet = new("http_get probe",
        ["host", "path", "scheme", "port", "status_code"],
        ["headers", "num_port"]);

    public static readonly SettingsKeys TcpSocket = new("tcp_socket probe", ["host", "port"], []);

    public static readonly SettingsKeys Watch = new("watch",
        ["paths", "ignore", "restart_dependents", "cascade"],
        ["debounce", "max_entries", "buffer_size", "disable_default_excludes"]);

    /// <summary>The known key nearest to <paramref name="key"/> (at most a third of its letters apart), or null.</summary>
    public string? Nearest(string key)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in Supported.Concat(Unsupported))
        {
            int d = Distance(key, candidate);
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }
        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    // Levenshtein distance, case-insensitive: 'Command' suggests 'command'.
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
