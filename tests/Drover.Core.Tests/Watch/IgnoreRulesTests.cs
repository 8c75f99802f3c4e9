using Drover.Core.Tests.Support;
using Drover.Core.Watch;

namespace Drover.Core.Tests.Watch;

/// <summary>What watch mode ignores: git's rules for .gitignore files, plus the directories it never watches.</summary>
public sealed class IgnoreRulesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private IgnoreRules Rules(params string[] ignore) => new(_dir.Path, ignore, []);

    private bool Ignored(IgnoreRules rules, string relative, bool isDirectory = false) => rules.IsIgnored(_dir.Combine(relative), isDirectory);

    [Theory]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "deep/er/app.log", true)]
    [InlineData("*.log", "app.logs", false)]
    [InlineData("/build", "build/x.o", true)]
    [InlineData("/build", "src/build/x.o", false)]
    [InlineData("build", "src/build/x.o", true)]
    [InlineData("doc/*.txt", "doc/a.txt", true)]
    [InlineData("doc/*.txt", "doc/sub/a.txt", false)]
    [InlineData("doc/**/*.txt", "doc/sub/deeper/a.txt", true)]
    [InlineData("**/tmp", "a/b/tmp/x", true)]
    [InlineData("cache/**", "cache/a/b", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("file?.rb", "file1.rb", true)]
    [InlineData("file?.rb", "file10.rb", false)]
    [InlineData("file[0-9].rb", "file7.rb", true)]
    [InlineData("file[!0-9].rb", "file7.rb", false)]
    [InlineData("\\#notes", "#notes", true)]
    [InlineData("# a comment", "# a comment", false)]
    [InlineData("trailing   ", "trailing", true)]
    public void A_gitignore_pattern_matches_as_git_reads_it(string pattern, string path, bool ignored)
    {
        _dir.Write(".gitignore", pattern + "\n");
        Assert.Equal(ignored, Ignored(Rules(), path));
    }

    [Fact]
    public void A_trailing_slash_matches_directories_only()
    {
        _dir.Write(".gitignore", "out/\n");
        var rules = Rules();
        Assert.True(Ignored(rules, "out", isDirectory: true));
        Assert.True(Ignored(rules, "out/a.js"));
        Assert.False(Ignored(rules, "src/out"));
    }

    [Fact]
    public void A_negation_re_includes_what_an_earlier_line_ignored()
    {
        _dir.Write(".gitignore", "*.log\n!keep.log\n");
        var rules = Rules();
        Assert.True(Ignored(rules, "a.log"));
        Assert.False(Ignored(rules, "keep.log"));
    }

    [Fact]
    public void A_deeper_gitignore_overrides_a_higher_one_in_both_directions()
    {
        _dir.Write(".gitignore", "*.log\n");
        _dir.Write("app/.gitignore", "!important.log\n*.tmp\n");
        var rules = Rules();
        Assert.False(Ignored(rules, "app/important.log"));
        Assert.True(Ignored(rules, "important.log"));
        Assert.True(Ignored(rules, "app/x.tmp"));
        Assert.False(Ignored(rules, "x.tmp"));
    }

    [Fact]
    public void A_deeper_gitignore_anchors_its_patterns_to_its_own_directory()
    {
        _dir.Write("app/.gitignore", "/gen\n");
        var rules = Rules();
        Assert.True(Ignored(rules, "app/gen/x"));
        Assert.False(Ignored(rules, "gen/x"));
        Assert.False(Ignored(rules, "app/sub/gen/x"));
    }

    [Fact]
    public void Nothing_inside_an_ignored_directory_is_re_included_as_in_git()
    {
        _dir.Write(".gitignore", "vendor/\n!vendor/mine.rb\n");
        Assert.True(Ignored(Rules(), "vendor/mine.rb"));
    }

    [Fact]
    public void Git_node_modules_and_the_log_directory_are_ignored_whatever_the_gitignore_says()
    {
        _dir.Write(".gitignore", "!node_modules/\n!.git\n");
        var rules = new IgnoreRules(_dir.Path, [], [_dir.Combine("var/log")]);
        Assert.True(Ignored(rules, ".git", isDirectory: true));
        Assert.True(Ignored(rules, ".git/HEAD"));
        Assert.True(Ignored(rules, "node_modules/left-pad/index.js"));
        Assert.True(Ignored(rules, "web/node_modules", isDirectory: true));
        Assert.True(Ignored(rules, "var/log/web.1.log"));
        Assert.False(Ignored(rules, "var/app.rb"));
    }

    [Fact]
    public void A_types_own_log_file_and_its_rotated_files_are_ignored_but_not_their_neighbours()
    {
        // log_location in a watched folder: without this, each line written would restart its writer.
        var rules = new IgnoreRules(_dir.Path, [], [], [_dir.Combine("app/web.log")]);
        Assert.True(Ignored(rules, "app/web.log"));
        Assert.True(Ignored(rules, "app/web.log.000001.gz"));
        Assert.False(Ignored(rules, "app/web.log2"));
        Assert.False(Ignored(rules, "app/web.rb"));
    }

    [Fact]
    public void The_types_own_ignore_globs_are_not_re_included_by_a_gitignore()
    {
        _dir.Write(".gitignore", "!*.min.js\n");
        var rules = Rules("*.min.js", "tmp/");
        Assert.True(Ignored(rules, "public/app.min.js"));
        Assert.True(Ignored(rules, "tmp/cache/x"));
        Assert.False(Ignored(rules, "public/app.js"));
    }

    [Fact]
    public void Git_info_exclude_counts_below_every_gitignore()
    {
        _dir.Write(".git/info/exclude", "*.swp\n");
        _dir.Write("app/.gitignore", "!keep.swp\n");
        var rules = Rules();
        Assert.True(Ignored(rules, "a.swp"));
        Assert.False(Ignored(rules, "app/keep.swp"));
    }

    [Fact]
    public void A_changed_gitignore_is_read_again_once_forgotten()
    {
        string file = _dir.Write(".gitignore", "*.log\n");
        var rules = Rules();
        Assert.True(Ignored(rules, "a.log"));
        File.WriteAllText(file, "");
        rules.Forget(file);
        Assert.False(Ignored(rules, "a.log"));
    }
}
