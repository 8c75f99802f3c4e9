using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>
/// Bad input to <c>drover start</c>: exit code 2, a message on stderr that says where the problem is, and nothing
/// started. Every valid Procfile line here would create a marker file if it ran.
/// </summary>
public sealed class InputErrorTests
{
    private const string Web = "web: touch web-ran; sleep 1000";
    private const string Worker = "worker: touch worker-ran; sleep 1000";

    [Fact]
    public async Task A_missing_Procfile_is_reported_with_its_path()
    {
        using var app = TempApp.Create();

        var result = await StartAsync(app);

        AssertRejected(app, result, $"drover: {app.PathOf("Procfile")}: cannot read Procfile: no such file");
    }

    [Fact]
    public async Task A_line_without_a_colon_is_reported_with_file_line_and_text()
    {
        using var app = TempApp.Create().WithProcfile(Web, "# a comment", "this line has no colon", Worker);

        var result = await StartAsync(app);

        AssertRejected(app, result, $"{app.PathOf("Procfile")}:3:", "'this line has no colon'");
    }

    [Fact]
    public async Task An_invalid_process_type_name_is_reported_with_file_line_and_name()
    {
        using var app = TempApp.Create().WithProcfile(Web, "web.api: touch api-ran");

        var result = await StartAsync(app);

        AssertRejected(app, result, $"{app.PathOf("Procfile")}:2:", "'web.api'");
        Assert.False(app.Exists("api-ran"));
    }

    [Fact]
    public async Task A_duplicate_process_type_is_reported_with_both_lines()
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker, "web: touch second-web-ran");

        var result = await StartAsync(app);

        AssertRejected(app, result, $"{app.PathOf("Procfile")}:3:", "'web'", "line 1");
        Assert.False(app.Exists("second-web-ran"));
    }

    [Fact]
    public async Task Every_malformed_line_is_reported_at_once()
    {
        using var app = TempApp.Create().WithProcfile("first bad line", Web, "second bad line");

        var result = await StartAsync(app);

        AssertRejected(app, result, $"{app.PathOf("Procfile")}:1:", $"{app.PathOf("Procfile")}:3:");
    }

    [Theory]
    [InlineData("QUOTED=\"never closed", "double quote")]
    [InlineData("QUOTED='never closed", "single quote")]
    public async Task An_unterminated_quote_in_the_env_file_is_reported_with_file_and_line(string entry, string what)
    {
        using var app = TempApp.Create().WithProcfile(Web).WithEnv("FIRST=1", entry, "LAST=3");

        var result = await StartAsync(app);

        AssertRejected(app, result, $"{app.PathOf(".env")}:2:", $"unterminated {what}");
    }

    [Fact]
    public async Task A_bad_variable_name_in_the_env_file_is_reported_with_file_line_and_name()
    {
        using var app = TempApp.Create().WithProcfile(Web).WithEnv("GOOD=1", "", "1BAD=2");

        var result = await StartAsync(app);

        AssertRejected(app, result, $"{app.PathOf(".env")}:3:", "'1BAD'");
    }

    [Fact]
    public async Task A_missing_env_file_given_with_e_is_reported_with_its_path()
    {
        using var app = TempApp.Create().WithProcfile(Web).WithEnv("PRESENT=1");

        var result = await StartAsync(app, "-e", ".env,missing.env");

        AssertRejected(app, result, $"drover: {app.PathOf("missing.env")}: cannot read env file: no such file");
    }

    [Fact]
    public async Task An_unknown_type_in_the_formation_is_reported_with_its_column_and_the_types_defined()
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker);

        var result = await StartAsync(app, "-m", "web=1,wrker=2");

        AssertRejected(app, result, "-m:1:7:", "'wrker'", "web, worker");
    }

    [Fact]
    public async Task An_unknown_type_on_the_command_line_is_reported_with_the_types_defined()
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker);

        var result = await StartAsync(app, "web", "wrker");

        AssertRejected(app, result, "'wrker'", "command line", "web, worker");
    }

    [Theory]
    [InlineData("web=-1", "'-1'", "negative")]
    [InlineData("web=two", "'two'", "not a whole number")]
    [InlineData("web", "'web'", "TYPE=COUNT")]
    public async Task A_bad_count_in_the_formation_is_reported_with_its_column(string formation, string quoted, string problem)
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker);

        var result = await StartAsync(app, "-m", $"worker=1,{formation}");

        AssertRejected(app, result, "-m:1:10:", quoted, problem);
    }

    [Fact]
    public async Task A_missing_app_root_is_reported()
    {
        using var app = TempApp.Create().WithProcfile(Web);

        var result = await StartAsync(app, "-d", "no-such-folder");

        AssertRejected(app, result, app.PathOf("no-such-folder"), "not a directory");
    }

    [Theory]
    [InlineData("-p", "not-a-port")]
    [InlineData("-p", "70000")]
    [InlineData("-t", "-1")]
    [InlineData("--restart", "sometimes")]
    public async Task A_bad_flag_value_is_a_usage_error(string flag, string value)
    {
        using var app = TempApp.Create().WithProcfile(Web);

        var result = await StartAsync(app, flag, value);

        AssertRejected(app, result, "drover: ");
    }

    [Fact]
    public async Task A_formation_that_starts_nothing_is_a_usage_error()
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker);

        var result = await StartAsync(app, "-m", "all=0");

        AssertRejected(app, result, "nothing to start");
    }

    // Issue #14 item 6: `--watch` (before watch mode existed) was reported as "unknown process type '--watch'".
    [Fact]
    public async Task An_unknown_flag_is_reported_as_an_unknown_option_not_a_process_type()
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker);

        var result = await StartAsync(app, "--wach");

        AssertRejected(app, result, "unknown option '--wach' for `drover start`");
        Assert.DoesNotContain("process type", result.Stderr, StringComparison.Ordinal);
    }

    // Issue #14 item 6: `drover agent` skipped PortPlan.Check, so a child could get a PORT above 65535.
    [Fact]
    public async Task The_agent_checks_ports_as_start_does_before_it_contacts_etcd()
    {
        using var app = TempApp.Create().WithProcfile(Web, Worker);

        var start = await DroverProcess.RunAsync(app.Root, "start", "-p", "65500");
        var agent = await DroverProcess.RunAsync(app.Root, "agent", "--etcd", "http://127.0.0.1:9", "--app", "x", "-p", "65500");

        const string Expected = "base port 65500 gives worker.1 port 65600, above 65535";
        AssertRejected(app, start, Expected);
        AssertRejected(app, agent, Expected);
    }

    private static Task<DroverResult> StartAsync(TempApp app, params string[] args) =>
        DroverProcess.RunAsync(app.Root, ["start", "--no-timestamp", "-p", $"{TestPorts.RandomBase()}", .. args]);

    private static void AssertRejected(TempApp app, DroverResult result, params string[] inStderr)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (string text in inStderr)
        {
            Assert.True(result.Stderr.Contains(text, StringComparison.Ordinal), $"stderr lacks \"{text}\"\n{result}");
        }
        Assert.DoesNotContain("started", result.Stdout, StringComparison.Ordinal);
        Assert.False(app.Exists("web-ran"), "web ran");
        Assert.False(app.Exists("worker-ran"), "worker ran");
    }
}
