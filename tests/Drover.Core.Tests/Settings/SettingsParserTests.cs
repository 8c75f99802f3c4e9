using Drover.Core.Settings;
using Drover.Core.Settings.Parsing;
using Drover.Core.Supervision;

namespace Drover.Core.Tests.Settings;

public sealed class SettingsParserTests
{
    private static SettingsDocument Ok(string text)
    {
        var result = SettingsParser.Parse(text, "drover.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private static List<string> Errors(string text)
    {
        var result = SettingsParser.Parse(text, "drover.yaml");
        Assert.False(result.Ok);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Every_supported_key_of_a_process_is_read_into_the_model()
    {
        var doc = Ok("""
            version: "0.5"
            environment:
              - 'ABC=222'
            processes:
              web:
                command: "echo I am $$HOME"
                description: the web server
                working_dir: web
                env_file: .env.web
                environment:
                  - 'A=1'
                  - 'B=x=y'
                disabled: true
                replicas: 3
                ready_log_line: "listening on \\d+"
                availability:
                  restart: on_failure
                  backoff_seconds: 2
                  max_restarts: 5
                shutdown:
                  signal: 2
                  timeout_seconds: 7
                  command: "kill -INT $$PID"
                depends_on:
                  db:
                    condition: process_healthy
                  migrate:
                    condition: process_completed_successfully
                readiness_probe:
                  http_get:
                    host: 127.0.0.1
                    path: /health
                    port: 8080
                    status_code: 204
                  initial_delay_seconds: 1
                  period_seconds: 2
                  timeout_seconds: 3
                  success_threshold: 2
                  failure_threshold: 4
                liveness_probe:
                  exec:
                    command: "test -f ok"
                    working_dir: /tmp
                watch:
                  paths: [src]
                  ignore: ["*.log"]
                  restart_dependents: true
              db:
                command: run-db
                environment:
                  KEY: value
                readiness_probe:
                  tcp_socket:
                    port: $PORT
              migrate:
                command: migrate
            """);

        Assert.Equal(["web", "db", "migrate"], doc.Types.Select(t => t.Type));
        Assert.Equal([new("ABC", "222")], doc.Environment);
        var web = doc.For("web");
        Assert.Equal("echo I am $HOME", web.Command);
        Assert.Equal(new SettingsSource("drover.yaml", 5), web.Source);
        Assert.Equal("web", web.WorkingDirectory);
        Assert.Equal([".env.web"], web.EnvFiles);
        Assert.Equal([new("A", "1"), new("B", "x=y")], web.Environment);
        Assert.True(web.Disabled);
        Assert.Equal(3, web.Replicas);
        Assert.Equal("listening on \\d+", web.ReadyLogLine);
        Assert.Equal(new AvailabilitySpec(RestartPolicy.OnFailure, false, 2, 5), web.Availability);
        Assert.Equal(new ShutdownSpec(2, TimeSpan.FromSeconds(7), "kill -INT $PID"), web.Shutdown);
        Assert.Equal([("db", DependencyCondition.Healthy), ("migrate", DependencyCondition.CompletedSuccessfully)],
            web.DependsOn.Select(d => (d.Type, d.Condition)));
        Assert.Equal(new ProbeCheck.Http("http", "127.0.0.1", 8080, "/health", 204), web.Readiness!.Check);
        Assert.Equal((1, 2, 3, 2, 4), ((int)web.Readiness.InitialDelay.TotalSeconds, (int)web.Readiness.Period.TotalSeconds,
            (int)web.Readiness.Timeout.TotalSeconds, web.Readiness.SuccessThreshold, web.Readiness.FailureThreshold));
        Assert.Equal(new ProbeCheck.Exec("test -f ok", "/tmp"), web.Liveness!.Check);
        Assert.Equal(TimeSpan.FromSeconds(10), web.Liveness.Period);
        Assert.Equal(["src"], web.Watch!.Paths);
        Assert.Equal(["*.log"], web.Watch.Ignore);
        Assert.True(web.Watch.RestartDependents);
        Assert.Equal([new("KEY", "value")], doc.For("db").Environment);
        Assert.Equal(new ProbeCheck.Tcp("127.0.0.1", null), doc.For("db").Readiness!.Check);
        Assert.Equal(AvailabilitySpec.Inherit, doc.For("migrate").Availability);
    }

    [Theory]
    [InlineData("always", RestartPolicy.Always, false)]
    [InlineData("on_failure", RestartPolicy.OnFailure, false)]
    [InlineData("no", RestartPolicy.Never, false)]
    [InlineData("exit_on_failure", RestartPolicy.Never, true)]
    public void Restart_policies_have_process_composes_names(string name, RestartPolicy policy, bool exitOnFailure)
    {
        var a = Ok($"processes:\n  web:\n    availability:\n      restart: {name}\n").For("web").Availability;

        Assert.Equal((policy, exitOnFailure), (a.Restart, a.ExitOnFailure));
    }

    [Fact]
    public void Max_restarts_of_0_means_no_limit_as_in_process_compose()
    {
        Assert.Null(Ok("processes:\n  web:\n    availability:\n      max_restarts: 0\n").For("web").Availability.MaxRestarts);
    }

    [Fact]
    public void A_signal_may_be_given_by_name()
    {
        Assert.Equal(Signals.Interrupt, Ok("processes:\n  web:\n    shutdown:\n      signal: SIGINT\n").For("web").Shutdown.Signal);
        Assert.Equal(Signals.Quit, Ok("processes:\n  web:\n    shutdown:\n      signal: QUIT\n").For("web").Shutdown.Signal);
    }

    [Fact]
    public void A_plain_list_of_dependencies_means_process_started()
    {
        var web = Ok("processes:\n  web:\n    depends_on: [db]\n  db:\n    command: x\n").For("web");

        Assert.Equal([("db", DependencyCondition.Started)], web.DependsOn.Select(d => (d.Type, d.Condition)));
    }

    [Fact]
    public void An_empty_file_has_no_settings()
    {
        Assert.Empty(Ok("").Types);
        Assert.Empty(Ok("# nothing yet\n").Types);
    }

    [Theory]
    [InlineData("processes:\n  web:\n    comand: x\n", "drover.yaml:3:5: web: unknown key 'comand' (did you mean 'command'?)")]
    [InlineData("processes:\n  web:\n    availabilty:\n      restart: always\n", "drover.yaml:3:5: web: unknown key 'availabilty' (did you mean 'availability'?)")]
    [InlineData("processes:\n  web:\n    colour: red\n", "drover.yaml:3:5: web: unknown key 'colour'")]
    [InlineData("proceses:\n  web:\n    command: x\n", "drover.yaml:1:1: settings file: unknown key 'proceses' (did you mean 'processes'?)")]
    [InlineData("processes:\n  web:\n    is_daemon: true\n", "drover.yaml:3:5: web: 'is_daemon' is not supported by Drover (docs/settings.md lists what is)")]
    [InlineData("log_level: debug\nprocesses: {}\n", "drover.yaml:1:1: settings file: 'log_level' is not supported by Drover (docs/settings.md lists what is)")]
    [InlineData("processes:\n  web:\n    availability:\n      exit_on_end: true\n", "drover.yaml:4:7: web.availability: 'exit_on_end' is not supported by Drover (docs/settings.md lists what is)")]
    [InlineData("processes:\n  web:\n    shutdown:\n      parent_only: true\n", "drover.yaml:4:7: web.shutdown: 'parent_only' is not supported by Drover (docs/settings.md lists what is)")]
    [InlineData("processes:\n  web:\n    readiness_probe:\n      http_get:\n        headers: {a: b}\n", "drover.yaml:5:9: web.readiness_probe.http_get: 'headers' is not supported by Drover (docs/settings.md lists what is)")]
    [InlineData("processes:\n  web:\n    replicas: -1\n", "drover.yaml:3:15: web.replicas: must not be negative, not -1")]
    [InlineData("processes:\n  web:\n    replicas: two\n", "drover.yaml:3:15: web.replicas: expected a whole number, not 'two'")]
    [InlineData("processes:\n  web:\n    availability:\n      max_restarts: -2\n", "drover.yaml:4:21: web.availability.max_restarts: must not be negative, not -2")]
    [InlineData("processes:\n  web:\n    availability:\n      backoff_seconds: -1\n", "drover.yaml:4:24: web.availability.backoff_seconds: must not be negative, not -1")]
    [InlineData("processes:\n  web:\n    availability:\n      restart: sometimes\n", "drover.yaml:4:16: web.availability.restart: unknown policy 'sometimes'; expected always, on_failure, exit_on_failure or no")]
    [InlineData("processes:\n  web:\n    disabled: maybe\n", "drover.yaml:3:15: web.disabled: expected true or false, not 'maybe'")]
    [InlineData("processes:\n  web:\n    command: [a, b]\n", "drover.yaml:3:14: web.command: expected a single value, not a list")]
    [InlineData("processes:\n  web:\n    environment:\n      - NOEQUALS\n", "drover.yaml:4:9: web.environment: expected \"KEY=value\", not 'NOEQUALS'")]
    [InlineData("processes:\n  web:\n    environment: 5\n", "drover.yaml:3:18: web.environment: expected a list of \"KEY=value\" or a mapping KEY: value, not '5'")]
    [InlineData("processes:\n  web:\n    depends_on:\n      db:\n        condition: process_ready\n", "drover.yaml:5:20: web.depends_on.db.condition: unknown condition 'process_ready'; expected process_started, process_healthy, process_completed, process_completed_successfully or process_log_ready")]
    [InlineData("processes:\n  web:\n    depends_on:\n      db:\n        condtion: process_started\n", "drover.yaml:5:9: web.depends_on.db: unknown key 'condtion' (did you mean 'condition'?)")]
    [InlineData("processes:\n  web:\n    readiness_probe:\n      period_seconds: 1\n", "drover.yaml:4:7: web.readiness_probe: needs one of exec, http_get or tcp_socket")]
    [InlineData("processes:\n  web:\n    readiness_probe:\n      exec: {command: a}\n      tcp_socket: {port: 1}\n", "drover.yaml:5:7: web.readiness_probe: give only one of exec, http_get and tcp_socket")]
    [InlineData("processes:\n  web:\n    readiness_probe:\n      tcp_socket: {port: 70000}\n", "drover.yaml:4:26: web.readiness_probe.tcp_socket.port: expected a whole number from 1 to 65535, not 70000")]
    [InlineData("processes:\n  web:\n    readiness_probe:\n      http_get: {path: health}\n", "drover.yaml:4:24: web.readiness_probe.http_get.path: must start with '/', not 'health'")]
    [InlineData("processes:\n  web:\n    readiness_probe:\n      exec: {}\n", "drover.yaml:4:13: web.readiness_probe.exec: needs a command")]
    [InlineData("processes:\n  web:\n    liveness_probe:\n      tcp_socket: {}\n      period_seconds: 0\n", "drover.yaml:5:23: web.liveness_probe.period_seconds: must be more than 0")]
    [InlineData("processes:\n  web:\n    liveness_probe:\n      tcp_socket: {}\n      failure_threshold: 0\n", "drover.yaml:5:26: web.liveness_probe.failure_threshold: expected a whole number from 1 to 2147483647, not 0")]
    [InlineData("processes:\n  web:\n    ready_log_line: '('\n", "drover.yaml:3:21: web.ready_log_line: not a valid regular expression")]
    [InlineData("processes:\n  web:\n    shutdown:\n      signal: SIGNOPE\n", "drover.yaml:4:15: web.shutdown.signal: unknown signal 'SIGNOPE'; give a number (15) or a name (SIGTERM)")]
    [InlineData("processes:\n  web:\n    shutdown:\n      timeout_seconds: -3\n", "drover.yaml:4:24: web.shutdown.timeout_seconds: must not be negative, not -3")]
    [InlineData("processes:\n  web.api:\n    command: x\n", "drover.yaml:2:3: invalid process name 'web.api'; names may contain only letters A-Z and a-z, digits, '_' and '-' (as in a Procfile)")]
    [InlineData("processes:\n  web:\n    command: ''\n", "drover.yaml:2:3: web.command: is empty")]
    [InlineData("processes: [web]\n", "drover.yaml:1:12: processes must be a mapping of names to settings")]
    [InlineData("- web\n", "drover.yaml:1:1: settings file must be a mapping of keys to values")]
    [InlineData("version: 1\n", "drover.yaml:1:1: no 'processes:' mapping: a settings file gives settings by process type under 'processes:'")]
    [InlineData("processes:\n  web:\n    watch:\n      debounce: 1s\n", "drover.yaml:4:7: web.watch: 'debounce' is not supported by Drover (docs/settings.md lists what is)")]
    [InlineData("processes:\n  web: {command: x\n", "drover.yaml:3:1: not valid YAML")]
    public void Each_problem_is_reported_with_file_line_column_and_key(string text, string expected)
    {
        Assert.Contains(Errors(text), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Errors("processes:\n  web:\n    comand: x\n    replicas: -1\n  worker:\n    is_tty: true\n");

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_second_document_is_an_error()
    {
        Assert.Contains(Errors("processes: {}\n---\nprocesses: {}\n"), e => e.StartsWith("drover.yaml:3:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_given_twice_is_an_error()
    {
        Assert.NotEmpty(Errors("processes:\n  web:\n    command: a\n  web:\n    command: b\n"));
    }
}
