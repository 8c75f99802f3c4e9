using Drover.Core.Diagnostics;
using Drover.Core.Procfile;

namespace Drover.Core.Tests.Procfile;

public sealed class DotEnvParserTests
{
    private static readonly Dictionary<string, string> OsEnvironment = new()
    {
        ["HOME"] = "/home/app",
        ["SHELL_ONLY"] = "from-os",
    };

    private static string? Lookup(string name) => OsEnvironment.GetValueOrDefault(name);

    private static IReadOnlyList<KeyValuePair<string, string>> ParseOk(string text)
    {
        var result = DotEnvParser.Parse(text, ".env", Lookup);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private static string ValueOf(string text, string key = "A") =>
        Assert.Single(ParseOk(text), kv => kv.Key == key).Value;

    private static IReadOnlyList<Diagnostic> ParseErrors(string text)
    {
        var result = DotEnvParser.Parse(text, ".env", Lookup);
        Assert.False(result.Ok);
        return result.Errors;
    }

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);

    [Fact]
    public void Each_line_sets_a_key_in_file_order()
    {
        var env = ParseOk("B=2\nA=1\nC.d_e=3\n");

        Assert.Equal([Pair("B", "2"), Pair("A", "1"), Pair("C.d_e", "3")], env);
    }

    [Fact]
    public void An_export_prefix_is_ignored()
    {
        Assert.Equal([Pair("A", "1"), Pair("B", "2")], ParseOk("export A=1\n  export\tB=2\n"));
    }

    [Fact]
    public void A_key_called_export_is_still_a_key()
    {
        Assert.Equal([Pair("export", "1"), Pair("exported", "2")], ParseOk("export=1\nexported=2\n"));
    }

    [Fact]
    public void Comment_lines_and_blank_lines_are_ignored()
    {
        Assert.Equal([Pair("A", "1")], ParseOk("# comment\n\n  \t\n   # indented\nA=1\n"));
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_are_accepted()
    {
        Assert.Equal([Pair("A", "1"), Pair("B", "two")], ParseOk("\uFEFFA=1\r\nB=\"two\"\r\n"));
    }

    [Fact]
    public void Blanks_around_the_equals_sign_are_ignored()
    {
        Assert.Equal([Pair("A", "1")], ParseOk("A =  1\n"));
    }

    [Fact]
    public void An_empty_value_is_allowed()
    {
        Assert.Equal([Pair("A", ""), Pair("B", ""), Pair("C", "")], ParseOk("A=\nB=''\nC=\"\"\n"));
    }

    [Fact]
    public void Unquoted_values_are_trimmed()
    {
        Assert.Equal("hello  world", ValueOf("A=  hello  world \t\r\n"));
    }

    [Fact]
    public void In_an_unquoted_value_a_blank_then_hash_starts_a_comment()
    {
        Assert.Equal("value", ValueOf("A=value # comment"));
        Assert.Equal("value", ValueOf("A=value\t#comment"));
        Assert.Equal("", ValueOf("A= # only a comment"));
    }

    [Fact]
    public void In_an_unquoted_value_a_hash_without_a_blank_before_it_is_kept()
    {
        Assert.Equal("a#b", ValueOf("A=a#b"));
        Assert.Equal("#fff", ValueOf("A=#fff"));
    }

    [Fact]
    public void Quotes_inside_an_unquoted_value_are_literal()
    {
        Assert.Equal("it's \"fine\"", ValueOf("A=it's \"fine\""));
    }

    [Fact]
    public void Single_quoted_values_are_literal()
    {
        Assert.Equal(" $HOME \\n ${X} # not a comment ", ValueOf("A=' $HOME \\n ${X} # not a comment '"));
    }

    [Fact]
    public void Double_quoted_values_understand_escapes()
    {
        Assert.Equal("a\nb\tc\"d\\e$f\rg", ValueOf("A=\"a\\nb\\tc\\\"d\\\\e\\$f\\rg\""));
    }

    [Fact]
    public void Unknown_escapes_in_double_quotes_keep_their_backslash()
    {
        Assert.Equal("C:\\dir\\x", ValueOf("A=\"C:\\dir\\x\""));
    }

    [Fact]
    public void Double_quoted_values_keep_inner_blanks_and_hashes()
    {
        Assert.Equal("  a # b  ", ValueOf("A=\"  a # b  \""));
    }

    [Fact]
    public void A_comment_may_follow_a_closing_quote()
    {
        Assert.Equal([Pair("A", "x"), Pair("B", "y"), Pair("C", "z")], ParseOk("A='x' # c\nB=\"y\"#c\nC=\"z\"   \n"));
    }

    [Fact]
    public void Double_quoted_values_may_span_lines()
    {
        var env = ParseOk("KEY=\"-----BEGIN-----\r\nabc\ndef\n-----END-----\"\nNEXT=1\n");

        Assert.Equal([Pair("KEY", "-----BEGIN-----\nabc\ndef\n-----END-----"), Pair("NEXT", "1")], env);
    }

    [Fact]
    public void Lines_inside_a_multi_line_value_are_not_entries()
    {
        Assert.Equal([Pair("A", "\nB=2\n# not a comment\n")], ParseOk("A=\"\nB=2\n# not a comment\n\"\n"));
    }

    [Fact]
    public void Double_quoted_values_expand_braced_variables_defined_earlier_in_the_file()
    {
        Assert.Equal("http://db:5432/app", ValueOf("HOST=db\nPORT=5432\nA=\"http://${HOST}:${PORT}/app\""));
    }

    [Fact]
    public void A_bare_dollar_name_is_literal_even_in_double_quotes()
    {
        Assert.Equal("db:$PORT $HOME", ValueOf("HOST=db\nPORT=5432\nA=\"${HOST}:$PORT $HOME\""));
    }

    // Issue #14: Foreman 0.87.2 (lib/foreman/env.rb) expands nothing; each of these arrived corrupted before.
    [Theory]
    [InlineData("PASSWORD=pa$$word", "pa$$word")]
    [InlineData("HASH=$2a$10$abcdef", "$2a$10$abcdef")]
    [InlineData("URL=u:p$ss@h", "u:p$ss@h")]
    [InlineData("A=$HOME/bin", "$HOME/bin")]
    [InlineData("A=${HOME}/bin", "${HOME}/bin")]
    [InlineData("A=${HOME", "${HOME")]
    [InlineData("A=${}", "${}")]
    [InlineData("A=\\$HOME", "\\$HOME")]
    [InlineData("A='$HOME ${HOME}'", "$HOME ${HOME}")]
    public void Unquoted_and_single_quoted_values_keep_every_dollar_as_Foreman_does(string line, string expected)
    {
        var scope = new EnvScope(Lookup);
        var result = DotEnvParser.Parse(line, ".env", scope);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(expected, Assert.Single(result.Value).Value);
        Assert.Empty(scope.Warnings);
    }

    [Fact]
    public void Variables_not_defined_earlier_in_the_file_come_from_the_lookup()
    {
        Assert.Equal("from-os", ValueOf("A=\"${SHELL_ONLY}\""));
    }

    [Fact]
    public void Earlier_keys_of_the_file_win_over_the_lookup()
    {
        Assert.Equal("mine/bin", ValueOf("HOME=mine\nA=\"${HOME}/bin\""));
    }

    [Fact]
    public void A_variable_defined_later_in_the_file_is_not_visible_yet()
    {
        Assert.Equal("", ValueOf("A=\"${LATER}\"\nLATER=1"));
    }

    [Fact]
    public void A_key_can_extend_its_own_value_from_the_lookup()
    {
        Assert.Equal("/home/app:/extra", ValueOf("A=\"${HOME}:/extra\"", "A"));
        Assert.Equal("/home/app:/extra", ValueOf("HOME=\"${HOME}:/extra\"", "HOME"));
    }

    [Fact]
    public void An_undefined_variable_expands_to_nothing_with_a_warning_naming_file_line_and_column()
    {
        var scope = new EnvScope(Lookup);
        var result = DotEnvParser.Parse("B=1\nA=\"[$NOPE][${NOPE}]\"", ".env", scope);

        Assert.Equal("[$NOPE][]", result.Value[1].Value);
        var warning = Assert.Single(scope.Warnings);
        Assert.Equal((".env", 2, 12), (warning.File, warning.Line, warning.Column));
        Assert.StartsWith("warning: ${NOPE} is not defined", warning.Message);
    }

    [Fact]
    public void Braces_allow_dots_in_the_name()
    {
        Assert.Equal("v2", ValueOf("b.c=v2\nA=\"${b.c}\""));
    }

    [Fact]
    public void A_dollar_not_followed_by_a_name_is_literal()
    {
        Assert.Equal("cost $5 or $ or $", ValueOf("A=cost $5 or $ or $"));
        Assert.Equal("$-", ValueOf("A=\"$-\""));
    }

    [Fact]
    public void A_backslash_dollar_is_a_literal_dollar_in_double_quotes()
    {
        Assert.Equal("${HOME}", ValueOf("A=\"\\${HOME}\""));
    }

    [Fact]
    public void Other_backslashes_in_unquoted_values_are_literal()
    {
        Assert.Equal("a\\nb", ValueOf("A=a\\nb"));
    }

    [Fact]
    public void Later_duplicates_of_a_key_win_and_keep_the_first_position()
    {
        Assert.Equal([Pair("A", "3"), Pair("B", "2")], ParseOk("A=1\nB=2\nA=3\n"));
    }

    [Fact]
    public void Expansion_sees_the_latest_earlier_value_of_a_key()
    {
        Assert.Equal("2", ValueOf("X=1\nX=2\nA=\"${X}\""));
    }

    [Fact]
    public void A_line_without_equals_is_an_error_quoting_it()
    {
        var error = Assert.Single(ParseErrors("A=1\n  just words\n"));

        Assert.Equal(new Diagnostic(".env", 2, 3, "expected KEY=value but found 'just words' (no '=')"), error);
    }

    [Fact]
    public void An_export_without_an_assignment_is_an_error()
    {
        var error = Assert.Single(ParseErrors("export A\n"));

        Assert.Contains("'export A'", error.Message);
    }

    [Theory]
    [InlineData("1ABC=x", "'1ABC'")]
    [InlineData("MY-KEY=x", "'MY-KEY'")]
    [InlineData("MY KEY=x", "'MY KEY'")]
    [InlineData(".A=x", "'.A'")]
    [InlineData("ÄB=x", "'ÄB'")]
    public void A_bad_variable_name_is_an_error_quoting_it(string line, string quoted)
    {
        var error = Assert.Single(ParseErrors(line));

        Assert.Equal(1, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Contains($"invalid variable name {quoted}", error.Message);
        Assert.Contains("start with a letter or '_'", error.Message);
    }

    [Fact]
    public void A_missing_variable_name_is_an_error()
    {
        Assert.Equal("missing variable name before '='", Assert.Single(ParseErrors("=value")).Message);
    }

    [Fact]
    public void An_unterminated_double_quote_is_reported_on_the_line_where_it_opened()
    {
        var errors = ParseErrors("A=1\nB=\"open\nC=2\nD=3\n");

        Assert.Equal(new Diagnostic(".env", 2, 3, "unterminated double quote: no closing \" before the end of the file"),
            Assert.Single(errors));
    }

    [Fact]
    public void Lines_after_an_unterminated_double_quote_are_still_checked()
    {
        var errors = ParseErrors("B=\"open\nC=2\nbad line\n");

        Assert.Equal([1, 3], errors.Select(e => e.Line));
    }

    [Fact]
    public void An_unterminated_single_quote_is_an_error_because_single_quotes_end_on_their_line()
    {
        var error = Assert.Single(ParseErrors("A='open\nB='x'\n"));

        Assert.Equal(new Diagnostic(".env", 1, 3, "unterminated single quote: no closing ' on this line"), error);
    }

    [Theory]
    [InlineData("A='x' y", 7, "'y'")]
    [InlineData("A=\"x\"y # c", 6, "'y # c'")]
    [InlineData("A=\"x\" \"y\"", 7, "'\"y\"'")]
    public void Text_after_a_closing_quote_is_an_error(string line, int column, string quoted)
    {
        var error = Assert.Single(ParseErrors(line));

        Assert.Equal(column, error.Column);
        Assert.Contains($"unexpected text {quoted} after the closing quote", error.Message);
    }

    [Fact]
    public void Text_after_the_closing_quote_of_a_multi_line_value_is_reported_on_the_closing_line()
    {
        var error = Assert.Single(ParseErrors("A=\"one\ntwo\" three\n"));

        Assert.Equal(2, error.Line);
        Assert.Equal(6, error.Column);
    }

    [Theory]
    [InlineData("A=\"${HOME\" # c", "unterminated '${HOME\" # c'")]
    [InlineData("A=\"${HO ME}\"", "bad substitution '${HO ME}'")]
    [InlineData("A=\"${HOME:-x}\"", "bad substitution '${HOME:-x}'")]
    [InlineData("A=\"${}\"", "bad substitution '${}'")]
    public void A_malformed_substitution_is_an_error(string line, string expected)
    {
        var error = Assert.Single(ParseErrors(line));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void All_errors_in_the_file_are_reported()
    {
        var errors = ParseErrors("1A=x\nno equals\nB='x' junk\nC='open\nD=ok\nE=\"never closed\n");

        Assert.Equal([1, 2, 3, 4, 6], errors.Select(e => e.Line));
    }

    [Fact]
    public void A_bad_key_with_a_multi_line_value_does_not_turn_the_value_lines_into_entries()
    {
        var error = Assert.Single(ParseErrors("1A=\"line\nnot an entry\n\"\nB=1\n"));

        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("'")]
    [InlineData("\"")]
    [InlineData("A=\"")]
    [InlineData("A='")]
    [InlineData("A=\"\\")]
    [InlineData("A=\\")]
    [InlineData("A=$")]
    [InlineData("A=${")]
    [InlineData("A=\"${\"")]
    [InlineData("\0")]
    [InlineData("A=\0\"\0")]
    [InlineData("=")]
    [InlineData("==")]
    [InlineData(":")]
    [InlineData("export")]
    [InlineData("export ")]
    [InlineData("export =")]
    [InlineData("\r")]
    [InlineData("\r\r\n\"\n\r")]
    [InlineData("A=\ud800")]
    public void Garbage_gives_a_value_or_errors_but_never_throws(string text)
    {
        var result = DotEnvParser.Parse(text, ".env", Lookup);

        Assert.True(result.Ok || result.Errors.Count > 0);
    }

    [Fact]
    public void A_huge_line_is_parsed_without_throwing()
    {
        var value = new string('v', 1_000_000);

        Assert.Equal(value, ValueOf("A=" + value));
        Assert.False(DotEnvParser.Parse(new string('=', 1_000_000), ".env", Lookup).Ok);
        Assert.False(DotEnvParser.Parse("A=\"" + new string('\n', 100_000), ".env", Lookup).Ok);
        Assert.Equal(new string('$', 1_000_000), ValueOf("A=" + new string('$', 1_000_000)));
        Assert.Equal(100_000, ParseErrors("A=\"" + string.Concat(Enumerable.Repeat("${-} ", 100_000)) + "\"").Count);
    }

    [Fact]
    public void Load_reads_a_real_file_with_the_lookup()
    {
        using var dir = new TempDirectory();
        var path = dir.Write(".env", "\uFEFFexport A=\"${HOME}\"\r\n");

        var result = DotEnvParser.Load(path, Lookup);

        Assert.True(result.Ok);
        Assert.Equal([Pair("A", "/home/app")], result.Value);
    }

    [Fact]
    public void Load_names_the_file_in_parse_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.Write(".env", "A\n");

        Assert.Equal(path, Assert.Single(DotEnvParser.Load(path, Lookup).Errors).File);
    }

    [Fact]
    public void Loading_a_missing_file_is_an_error_on_line_0()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, ".env");

        var error = Assert.Single(DotEnvParser.Load(path, Lookup).Errors);

        Assert.Equal(new Diagnostic(path, 0, 0, "cannot read env file: no such file"), error);
    }

    [Fact]
    public void Loading_a_directory_is_an_error_on_line_0()
    {
        using var dir = new TempDirectory();

        var error = Assert.Single(DotEnvParser.Load(dir.Path, Lookup).Errors);

        Assert.Equal(new Diagnostic(dir.Path, 0, 0, "cannot read env file: it is a directory"), error);
    }

    [Fact]
    public void An_empty_file_sets_nothing()
    {
        Assert.Empty(ParseOk(""));
    }

    [Fact]
    public void A_line_of_many_unterminated_substitutions_is_reported_once()
    {
        string text = "A=\"" + string.Concat(Enumerable.Repeat("${", 50_000)) + "\"\n";

        var result = DotEnvParser.Parse(text, ".env", Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Equal(4, error.Column);
        Assert.StartsWith("unterminated '${${", error.Message);
    }
}
