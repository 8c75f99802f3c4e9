using YamlDotNet.RepresentationModel;

namespace Drover.Core.Settings.Parsing;

/// <summary><c>readiness_probe</c> and <c>liveness_probe</c>: one check (exec, http_get or tcp_socket) and its timing.</summary>
internal static class ProbeReader
{
    public static ProbeSpec? Read(YamlReader reader, YamlNode node, string key)
    {
        var checks = new List<ProbeCheck>();
        var probe = new ProbeSpec(new ProbeCheck.Tcp("127.0.0.1", null)) { Source = reader.Source(node) };
        foreach (var (name, nameNode, value) in reader.Entries(node, key, SettingsKeys.Probe))
        {
            string at = $"{key}.{name}";
            switch (name)
            {
                case "exec":
                    AddCheck(reader, checks, nameNode, key, Exec(reader, value, at));
                    break;
                case "http_get":
                    AddCheck(reader, checks, nameNode, key, Http(reader, value, at));
                    break;
                case "tcp_socket":
                    AddCheck(reader, checks, nameNode, key, Tcp(reader, value, at));
                    break;
                case "initial_delay_seconds":
                    probe = reader.Seconds(value, at) is double delay ? probe with { InitialDelay = TimeSpan.FromSeconds(delay) } : probe;
                    break;
                case "period_seconds":
                    probe = Positive(reader, value, at) is double period ? probe with { Period = TimeSpan.FromSeconds(period) } : probe;
                    break;
                case "timeout_seconds":
                    probe = Positive(reader, value, at) is double timeout ? probe with { Timeout = TimeSpan.FromSeconds(timeout) } : probe;
                    break;
                case "success_threshold":
                    probe = reader.Int(value, at, 1) is int success ? probe with { SuccessThreshold = success } : probe;
                    break;
                case "failure_threshold":
                    probe = reader.Int(value, at, 1) is int failure ? probe with { FailureThreshold = failure } : probe;
                    break;
            }
        }
        if (checks.Count == 0)
        {
            reader.Error(node, $"{key}: needs one of exec, http_get or tcp_socket");
            return null;
        }
        return probe with { Check = checks[0] };
    }

    private static void AddCheck(YamlReader reader, List<ProbeCheck> checks, YamlNode at, string key, ProbeCheck? check)
    {
        if (checks.Count > 0)
        {
            reader.Error(at, $"{key}: give only one of exec, http_get and tcp_socket");
        }
        if (check is not null)
        {
            checks.Add(check);
        }
    }

    private static double? Positive(YamlReader reader, YamlNode node, string key)
    {
        double? seconds = reader.Seconds(node, key);
        if (seconds == 0)
        {
            reader.Error(node, $"{key}: must be more than 0");
            return null;
        }
        return seconds;
    }

    private static ProbeCheck.Exec? Exec(YamlReader reader, YamlNode node, string key)
    {
        string? command = null;
        string? dir = null;
        foreach (var (name, _, value) in reader.Entries(node, key, SettingsKeys.Exec))
        {
            if (name == "command")
            {
                command = reader.Text(value, $"{key}.command") is string c ? CommandText.FromSettings(c) : null;
            }
            else
            {
                dir = reader.Text(value, $"{key}.working_dir");
            }
        }
        if (string.IsNullOrWhiteSpace(command))
        {
            reader.Error(node, $"{key}: needs a command");
            return null;
        }
        return new ProbeCheck.Exec(command, dir);
    }

    private static ProbeCheck.Http? Http(YamlReader reader, YamlNode node, string key)
    {
        string host = "127.0.0.1", path = "/", scheme = "http";
        int? port = null, status = null;
        foreach (var (name, _, value) in reader.Entries(node, key, SettingsKeys.HttpGet))
        {
            switch (name)
            {
                case "host":
                    host = reader.Text(value, $"{key}.host") ?? host;
                    break;
                case "path":
                    path = reader.Text(value, $"{key}.path") ?? path;
                    if (!path.StartsWith('/'))
                    {
                        reader.Error(value, $"{key}.path: must start with '/', not '{path}'");
                    }
                    break;
                case "scheme":
                    scheme = reader.Text(value, $"{key}.scheme") ?? scheme;
                    if (scheme is not ("http" or "https"))
                    {
                        reader.Error(value, $"{key}.scheme: expected http or https, not '{scheme}'");
                    }
                    break;
                case "port":
                    port = Port(reader, value, $"{key}.port");
                    break;
                case "status_code":
                    status = reader.Int(value, $"{key}.status_code", 100, 599);
                    break;
            }
        }
        return new ProbeCheck.Http(scheme, host, port, path, status);
    }

    private static ProbeCheck.Tcp? Tcp(YamlReader reader, YamlNode node, string key)
    {
        string host = "127.0.0.1";
        int? port = null;
        foreach (var (name, _, value) in reader.Entries(node, key, SettingsKeys.TcpSocket))
        {
            if (name == "host")
            {
                host = reader.Text(value, $"{key}.host") ?? host;
            }
            else
            {
                port = Port(reader, value, $"{key}.port");
            }
        }
        return new ProbeCheck.Tcp(host, port);
    }

    /// <summary>A port number; <c>$PORT</c> or <c>${PORT}</c> (or no port at all) means the instance's own PORT.</summary>
    private static int? Port(YamlReader reader, YamlNode node, string key) =>
        node is YamlScalarNode { Value: "$PORT" or "${PORT}" } ? null : reader.Int(node, key, 1, 65535);
}
