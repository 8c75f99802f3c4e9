using Drover.Export.Tests.Support;

namespace Drover.Export.Tests;

/// <summary>Input the formats cannot carry gets a clear error naming what is wrong (and never a value).</summary>
public sealed class ValidationTests
{
    private static string Errors(string format, ExportRequest request)
    {
        var result = Exporters.Export(format, request);
        Assert.False(result.Ok, $"{format} accepted the input");
        return string.Join("\n", result.Errors);
    }

    [Theory]
    [InlineData("MyApp")]
    [InlineData("my_app")]
    [InlineData("-app")]
    [InlineData("app-")]
    [InlineData("")]
    [InlineData("a b")]
    public void Invalid_app_names_are_rejected(string app)
    {
        var request = Fixtures.Request() with { App = app };

        Assert.Contains("-a: app name", Errors("systemd", request), StringComparison.Ordinal);
    }

    [Fact]
    public void A_64_character_app_name_is_too_long() =>
        Assert.Contains("app name", Errors("systemd", Fixtures.Request() with { App = new string('a', 64) }), StringComparison.Ordinal);

    [Theory]
    [InlineData("Deploy")]
    [InlineData("de ploy")]
    [InlineData("1abc")]
    [InlineData("root;rm")]
    [InlineData("")]
    public void Invalid_users_are_rejected(string user) =>
        Assert.Contains("-u: user", Errors("supervisord", Fixtures.Request(user: user)), StringComparison.Ordinal);

    [Theory]
    [InlineData("deploy")]
    [InlineData("www-data")]
    [InlineData("_svc")]
    [InlineData("1000")]
    public void Valid_users_are_accepted(string user) =>
        Assert.True(Exporters.Export("systemd", Fixtures.Request(user: user)).Ok);

    [Fact]
    public void An_unknown_format_names_the_formats() =>
        Assert.Contains("choose one of: systemd, supervisord, runit, launchd, kubernetes, compose",
            Errors("upstart", Fixtures.Request()), StringComparison.Ordinal);

    [Fact]
    public void Nothing_to_export_is_an_error() =>
        Assert.Contains("every process type has a count of 0",
            Errors("systemd", Fixtures.Request(formation: "all=0")), StringComparison.Ordinal);

    [Fact]
    public void An_unknown_listening_type_is_an_error() =>
        Assert.Contains("--listen: unknown process type 'api'",
            Errors("kubernetes", Fixtures.Request(image: "img", user: null, listen: ["api"])), StringComparison.Ordinal);

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("compose")]
    public void Container_formats_need_an_image(string format) =>
        Assert.Contains("--image", Errors(format, Fixtures.Request(user: null)), StringComparison.Ordinal);

    [Fact]
    public void Kubernetes_needs_a_numeric_user() =>
        Assert.Contains("numeric user id", Errors("kubernetes", Fixtures.Request(image: "img", user: "deploy")), StringComparison.Ordinal);

    [Fact]
    public void Kubernetes_needs_an_app_name_starting_with_a_letter() =>
        Assert.Contains("must start with a letter",
            Errors("kubernetes", Fixtures.Request(image: "img", user: null) with { App = "1app" }), StringComparison.Ordinal);

    [Fact]
    public void Kubernetes_rejects_a_type_name_that_is_not_a_dns_label()
    {
        var procfile = Fixtures.Procfile(("Web_1", "x"));
        var request = Fixtures.Request(procfile, "", new Dictionary<string, string>(), image: "img", user: null);

        Assert.Contains("process type 'Web_1' is not a valid Kubernetes name", Errors("kubernetes", request), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two\nlines", "spans lines")]
    [InlineData("both ' and \"", "has both kinds of quote")]
    [InlineData("'quoted'", "starts or ends with a quote")]
    [InlineData("a ;b", "has whitespace before ';'")]
    [InlineData("a #b", "has whitespace before '#'")]
    public void Supervisord_rejects_values_its_environment_setting_cannot_carry(string value, string why)
    {
        var env = new Dictionary<string, string> { ["SECRET_THING"] = value };

        string errors = Errors("supervisord", Fixtures.Request(env: env));

        Assert.Contains($"the value of SECRET_THING cannot be written in supervisord's environment= setting: it {why}", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(value, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Systemd_rejects_names_and_values_it_would_drop()
    {
        var env = new Dictionary<string, string> { ["my.name"] = "x", ["BELL"] = "ring\a" };

        string errors = Errors("systemd", Fixtures.Request(env: env));

        Assert.Contains("variable 'my.name' cannot be set by systemd", errors, StringComparison.Ordinal);
        Assert.Contains("the value of BELL has a control character", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Runit_rejects_values_with_trailing_blanks_and_numeric_users()
    {
        var env = new Dictionary<string, string> { ["PADDED"] = "value " };

        string errors = Errors("runit", Fixtures.Request(env: env, user: "1000"));

        Assert.Contains("the value of PADDED ends with a space or tab", errors, StringComparison.Ordinal);
        Assert.Contains("runit needs a user name", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Launchd_rejects_values_xml_cannot_hold() =>
        Assert.Contains("the value of NUL has a control character",
            Errors("launchd", Fixtures.Request(env: new Dictionary<string, string> { ["NUL"] = "a\u0001b" })), StringComparison.Ordinal);

    [Fact]
    public void Multi_line_values_are_carried_by_systemd_runit_launchd_kubernetes_and_compose()
    {
        var env = new Dictionary<string, string> { ["CERT"] = "-----BEGIN-----\nabc\n-----END-----" };

        foreach (var format in new[] { "systemd", "runit", "launchd", "kubernetes", "compose" })
        {
            Assert.True(Exporters.Export(format, Fixtures.Request(env: env, image: "img", user: null)).Ok, format);
        }
    }
}
