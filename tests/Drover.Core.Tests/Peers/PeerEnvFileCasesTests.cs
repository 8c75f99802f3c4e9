using Drover.Core.Procfile;

namespace Drover.Core.Tests.Peers;

/// <summary>
/// .env cases from the peers' own test suites (issue #14 item 7), each naming its source. Where Drover reads a
/// line differently on purpose, the test says what the peer does and docs/procfile.md lists the reason.
/// </summary>
public sealed class PeerEnvFileCasesTests
{
    private static Dictionary<string, string> Parse(string text)
    {
        var result = DotEnvParser.Parse(text, ".env", _ => null);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    // honcho tests/test_environ.py, test_environ_parse: the cases Drover reads as honcho does.
    [Theory]
    [InlineData("FOO=bar\n", "FOO", "bar")]
    [InlineData("FOO=bar", "FOO", "bar")] // no newline at EOF
    [InlineData("MYVAR='hello\"world'\n", "MYVAR", "hello\"world")]
    [InlineData("MYVAR=\"hello'world\"\n", "MYVAR", "hello'world")]
    [InlineData("MYVAR='\"surrounded\"'\n", "MYVAR", "\"surrounded\"")]
    [InlineData("MYVAR=user@domain.com\n", "MYVAR", "user@domain.com")]
    [InlineData("MYVAR=~pun|u@|0n$=\n", "MYVAR", "~pun|u@|0n$=")]
    [InlineData("MYVAR=⋃ñᴉ—☪ó∂ǝ\n", "MYVAR", "⋃ñᴉ—☪ó∂ǝ")]
    [InlineData("MYVAR='sp ace'\n", "MYVAR", "sp ace")]
    [InlineData("DOLLAR='foo\\$bar'\n", "DOLLAR", "foo\\$bar")]
    public void Honcho_environ_parse_cases(string text, string key, string expected)
    {
        Assert.Equal(expected, Parse(text)[key]);
    }

    [Fact]
    public void Honcho_two_lines_and_a_comment()
    {
        Assert.Equal(new Dictionary<string, string> { ["FOO"] = "bar", ["BAZ"] = "qux" }, Parse("FOO=bar\nBAZ=qux\n"));
        Assert.Empty(Parse("#commented: command\n"));
    }

    // honcho: an escaped quote unquoted is unescaped by shlex ("escaped" with quotes); Foreman 0.87.2 and Drover
    // keep unquoted values as written.
    [Fact]
    public void Honcho_escaped_quotes_unquoted_differs_Drover_keeps_them_as_Foreman_does()
    {
        Assert.Equal("\\\"escaped\\\"", Parse("MYVAR=\\\"escaped\\\"\n")["MYVAR"]);
    }

    // honcho turns \t and \n into tab and newline even in single quotes; Foreman and Drover keep single quotes literal.
    [Fact]
    public void Honcho_escapes_in_single_quotes_differ_Drover_keeps_them_literal_as_Foreman_does()
    {
        var env = Parse("TABS='foo\\tbar'\nNEWLINES='foo\\nbar'\n");

        Assert.Equal("foo\\tbar", env["TABS"]);
        Assert.Equal("foo\\nbar", env["NEWLINES"]);
    }

    // honcho skips "-foo=command" and unicode keys silently; Drover reports the line.
    [Theory]
    [InlineData("-foo=command\n")]
    [InlineData("ṀẎṾẠṚ=value\n")]
    public void Honcho_skips_invalid_keys_Drover_reports_them(string text)
    {
        var error = Assert.Single(DotEnvParser.Parse(text, ".env", _ => null).Errors);
        Assert.Equal(1, error.Line);
    }

    // Foreman spec/foreman/engine_spec.rb, "should handle quoted values" and "should handle multiline strings".
    [Fact]
    public void Foreman_engine_quoted_values()
    {
        var env = Parse("FOO=bar\nBAZ=\"qux\"\nFRED='barney'\nOTHER=\"escaped\\\"quote\"\nURL=\"http://example.com/api?foo=bar&baz=1\"\n");

        Assert.Equal("bar", env["FOO"]);
        Assert.Equal("qux", env["BAZ"]);
        Assert.Equal("barney", env["FRED"]);
        Assert.Equal("escaped\"quote", env["OTHER"]);
        Assert.Equal("http://example.com/api?foo=bar&baz=1", env["URL"]);
    }

    [Fact]
    public void Foreman_engine_multiline_strings()
    {
        Assert.Equal("bar\nbaz", Parse("FOO=\"bar\\nbaz\"\n")["FOO"]);
    }

    // node-foreman test/envs-commented.test.js: comments, blank lines and "key = value" with blanks.
    [Fact]
    public void Node_foreman_commented_file()
    {
        var env = Parse("### This is a config file...\n   \n# Very important setting!\nsetting = important\n   \n# Dangerous, we should commend this out: \n# DANGER = HIGH VOLTAGE   \n    \n# end \n");

        Assert.Equal(new Dictionary<string, string> { ["setting"] = "important" }, env);
    }

    // node-foreman test/envs-quoted.test.js. It cuts "stripped#comment" at the '#'; Drover starts a comment only
    // at " #" (a '#' inside a value, as in a URL fragment or a password, is kept).
    [Fact]
    public void Node_foreman_quoted_hash_and_base64()
    {
        var env = Parse("#commented heading. \nkey = \"quoted#hash\" \nkey2 = stripped#comment \nkey3 = base64=== \nkey4 = stripped #comment\n");

        Assert.Equal("quoted#hash", env["key"]);
        Assert.Equal("stripped#comment", env["key2"]);
        Assert.Equal("base64===", env["key3"]);
        Assert.Equal("stripped", env["key4"]);
    }

    // node-foreman test/envs-empty.test.js.
    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData(" \n \n \n")]
    public void Node_foreman_empty_files(string text)
    {
        Assert.Empty(Parse(text));
    }

    // forego env_test.go, TestMultipleEnvironmentFiles: both files' variables are present (AppLoaderTests covers
    // the order); here, a later file sees an earlier one through one scope.
    [Fact]
    public void Forego_multiple_environment_files()
    {
        var scope = new EnvScope(_ => null);
        var first = DotEnvParser.Parse("env1=one\n", ".env1", scope);
        var second = DotEnvParser.Parse("env2=\"${env1}-two\"\n", ".env2", scope);

        Assert.Equal("one", Assert.Single(first.Value).Value);
        Assert.Equal("one-two", Assert.Single(second.Value).Value);
    }
}
