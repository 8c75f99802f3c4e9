using Drover.Core.Diagnostics;
using Drover.Core.Procfile;

namespace Drover.Core.Tests.Procfile;

public sealed class ProcfileParserTests
{
    private static ProcfileDocument ParseOk(string text)
    {
        var result = ProcfileParser.Parse(text, "Procfile");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private static IReadOnlyList<Diagnostic> ParseErrors(string text)
    {
        var result = ProcfileParser.Parse(text, "Procfile");
        Assert.False(result.Ok);
        return result.Errors;
    }

    [Fact]
    public void Each_line_defines_a_type_with_its_command_and_line()
    {
        var doc = ParseOk("web: bundle exec rails s\nworker: bundle exec sidekiq\n");

        Assert.Equal("Procfile", doc.File);
        Assert.Equal(
            [new ProcessType("web", "bundle exec rails s", 1), new ProcessType("worker", "bundle exec sidekiq", 2)],
            doc.Types);
    }

    [Fact]
    public void Types_keep_file_order()
    {
        var doc = ParseOk("zeta: z\nalpha: a\nmid: m\n");

        Assert.Equal(["zeta", "alpha", "mid"], doc.Types.Select(t => t.Name));
    }

    [Fact]
    public void Names_may_use_letters_digits_underscore_and_dash()
    {
        var doc = ParseOk("Web_2-api: run\n9: nine\n");

        Assert.Equal(["Web_2-api", "9"], doc.Types.Select(t => t.Name));
    }

    [Fact]
    public void Whitespace_after_the_colon_and_at_the_end_of_the_command_is_ignored()
    {
        var doc = ParseOk("web:\t   ruby app.rb  \t\r\nworker:run\n");

        Assert.Equal("ruby app.rb", doc.Types[0].Command);
        Assert.Equal("run", doc.Types[1].Command);
    }

    [Fact]
    public void Only_the_first_colon_separates_the_name_from_the_command()
    {
        var doc = ParseOk("web: rails s -b 0.0.0.0:3000 # port: later\n");

        Assert.Equal("rails s -b 0.0.0.0:3000 # port: later", doc.Types[0].Command);
    }

    [Fact]
    public void Blank_lines_and_comment_lines_are_ignored_but_still_counted()
    {
        var doc = ParseOk("# the app\n\n   \t\n  # indented comment\nweb: run\n");

        Assert.Equal(5, Assert.Single(doc.Types).Line);
    }

    [Fact]
    public void Leading_blanks_before_a_name_are_ignored()
    {
        var doc = ParseOk("  web: run\n");

        Assert.Equal("web", Assert.Single(doc.Types).Name);
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_are_accepted()
    {
        var doc = ParseOk("\uFEFFweb: run web\r\nworker: run worker\r\n");

        Assert.Equal(["web", "worker"], doc.Types.Select(t => t.Name));
        Assert.Equal(["run web", "run worker"], doc.Types.Select(t => t.Command));
    }

    [Fact]
    public void A_line_without_a_colon_is_an_error_quoting_it()
    {
        var error = Assert.Single(ParseErrors("web: run\nthis is not a type\n"));

        Assert.Equal(new Diagnostic("Procfile", 2, 1,
            "expected 'name: command' but found 'this is not a type' (no ':')"), error);
    }

    [Fact]
    public void An_invalid_name_is_an_error_quoting_it_and_naming_the_allowed_characters()
    {
        var error = Assert.Single(ParseErrors("web.app: run\n"));

        Assert.Equal(1, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Contains("'web.app'", error.Message);
        Assert.Contains("letters A-Z and a-z, digits, '_' and '-'", error.Message);
    }

    [Fact]
    public void A_space_before_the_colon_makes_the_name_invalid()
    {
        var error = Assert.Single(ParseErrors("web : run\n"));

        Assert.Contains("invalid process type name 'web '", error.Message);
    }

    [Fact]
    public void Non_ascii_letters_are_not_allowed_in_names()
    {
        var error = Assert.Single(ParseErrors("wéb: run\n"));

        Assert.Contains("'wéb'", error.Message);
    }

    [Fact]
    public void A_missing_name_is_an_error()
    {
        var error = Assert.Single(ParseErrors(": run\n"));

        Assert.Equal("missing process type name before ':'", error.Message);
    }

    [Fact]
    public void An_empty_command_is_an_error_pointing_after_the_colon()
    {
        var error = Assert.Single(ParseErrors("web: run\nworker:   \t\r\n"));

        Assert.Equal(new Diagnostic("Procfile", 2, 8, "process type 'worker' has no command after ':'"), error);
    }

    [Fact]
    public void A_duplicate_type_is_an_error_naming_both_lines()
    {
        var error = Assert.Single(ParseErrors("# comment\nweb: a\nworker: b\nweb: c\n"));

        Assert.Equal(new Diagnostic("Procfile", 4, 1, "duplicate process type 'web' (first defined on line 2)"), error);
    }

    [Fact]
    public void Names_differing_only_in_case_are_different_types()
    {
        var doc = ParseOk("web: a\nWeb: b\n");

        Assert.Equal(2, doc.Types.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("\uFEFF")]
    public void A_file_without_process_types_is_an_error(string text)
    {
        var error = Assert.Single(ParseErrors(text));

        Assert.Equal(new Diagnostic("Procfile", 0, 0, "no process types defined; expected lines like 'web: command'"), error);
    }

    [Fact]
    public void All_errors_in_the_file_are_reported_in_line_order()
    {
        var errors = ParseErrors("web: a\nbad line\nw!: b\nclock:\nweb: again\nw?:\n");

        Assert.Equal([2, 3, 4, 5, 6, 6], errors.Select(e => e.Line));
    }

    [Fact]
    public void Quoted_text_in_messages_escapes_control_characters_and_is_cut_short()
    {
        var error = Assert.Single(ParseErrors("web: a\nbad\u0000\u001b[31m" + new string('x', 200) + "\n"));

        Assert.StartsWith("expected 'name: command' but found 'bad\\u0000\\u001b[31mxxx", error.Message);
        Assert.Contains("…'", error.Message);
        Assert.True(error.Message.Length < 120, error.Message);
    }

    [Fact]
    public void The_document_finds_types_by_name()
    {
        var doc = ParseOk("web: a\nworker: b\n");

        Assert.Equal(1, doc.IndexOf("worker"));
        Assert.Equal(-1, doc.IndexOf("clock"));
        Assert.Equal("b", doc.Find("worker")?.Command);
        Assert.Null(doc.Find("Worker"));
    }

    [Theory]
    [InlineData("'")]
    [InlineData("\"")]
    [InlineData("\0")]
    [InlineData("=")]
    [InlineData(":")]
    [InlineData("::::")]
    [InlineData("\r")]
    [InlineData("\r\r\n\n\r")]
    [InlineData("\uFEFF\uFEFF:")]
    [InlineData("\ud800: lone surrogate")]
    [InlineData("web: \0\0\0")]
    public void Garbage_gives_a_value_or_errors_but_never_throws(string text)
    {
        var result = ProcfileParser.Parse(text, "Procfile");

        Assert.True(result.Ok || result.Errors.Count > 0);
    }

    [Fact]
    public void A_huge_line_gives_an_error_without_throwing()
    {
        var result = ProcfileParser.Parse(new string('a', 1_000_000), "Procfile");

        Assert.False(result.Ok);
    }

    [Fact]
    public void Load_reads_a_real_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("Procfile", "\uFEFFweb: run\r\n");

        var result = ProcfileParser.Load(path);

        Assert.True(result.Ok);
        Assert.Equal(path, result.Value.File);
        Assert.Equal("run", Assert.Single(result.Value.Types).Command);
    }

    [Fact]
    public void Load_names_the_file_in_parse_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("Procfile", "web run\n");

        var error = Assert.Single(ProcfileParser.Load(path).Errors);

        Assert.Equal(path, error.File);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Loading_a_missing_file_is_an_error_on_line_0()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "Procfile");

        var error = Assert.Single(ProcfileParser.Load(path).Errors);

        Assert.Equal(new Diagnostic(path, 0, 0, "cannot read Procfile: no such file"), error);
    }

    [Fact]
    public void Loading_from_a_missing_directory_is_an_error_on_line_0()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "nope", "Procfile");

        var error = Assert.Single(ProcfileParser.Load(path).Errors);

        Assert.Equal(new Diagnostic(path, 0, 0, "cannot read Procfile: no such file"), error);
    }

    [Fact]
    public void Loading_a_directory_is_an_error_on_line_0()
    {
        // Tests run as root, where chmod 000 does not stop reads; a directory is the unreadable path we can make.
        using var dir = new TempDirectory();

        var error = Assert.Single(ProcfileParser.Load(dir.Path).Errors);

        Assert.Equal(new Diagnostic(dir.Path, 0, 0, "cannot read Procfile: it is a directory"), error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\0path")]
    public void Loading_an_invalid_path_is_an_error_not_an_exception(string path)
    {
        var error = Assert.Single(ProcfileParser.Load(path).Errors);

        Assert.Equal(0, error.Line);
        Assert.StartsWith("cannot read Procfile: ", error.Message);
    }
}

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
// Lives here because this change may only add these test files; it belongs in Support/TempDirectory.cs.
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "drover-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
