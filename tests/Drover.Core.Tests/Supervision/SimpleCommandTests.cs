using Drover.Core.Supervision;

namespace Drover.Core.Tests.Supervision;

public sealed class SimpleCommandTests
{
    [Theory]
    [InlineData("sleep 1000", new[] { "sleep", "1000" })]
    [InlineData("  bundle   exec\tpuma -C config/puma.rb  ", new[] { "bundle", "exec", "puma", "-C", "config/puma.rb" })]
    [InlineData("./bin/worker --verbose", new[] { "./bin/worker", "--verbose" })]
    [InlineData("/usr/bin/env", new[] { "/usr/bin/env" })]
    [InlineData("node server.js café", new[] { "node", "server.js", "café" })]
    public void A_command_without_shell_syntax_is_split_at_blanks(string command, string[] words)
    {
        Assert.Equal(words, SimpleCommand.TrySplit(command));
    }

    [Theory]
    [InlineData("web --port $PORT")]
    [InlineData("web --port ${PORT}")]
    [InlineData("echo 'quoted words'")]
    [InlineData("echo \"quoted words\"")]
    [InlineData("a\\ b")]
    [InlineData("ls *.txt")]
    [InlineData("ls file?")]
    [InlineData("ls [ab]")]
    [InlineData("cat < in")]
    [InlineData("run > out")]
    [InlineData("a | b")]
    [InlineData("a & b")]
    [InlineData("a; b")]
    [InlineData("a && b")]
    [InlineData("(a)")]
    [InlineData("run `date`")]
    [InlineData("run # comment")]
    [InlineData("ls ~/x")]
    [InlineData("FOO=bar run")]
    [InlineData("run --opt=value")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("{ a; }")]
    public void A_command_with_shell_syntax_goes_to_the_shell(string command)
    {
        Assert.Null(SimpleCommand.TrySplit(command));
    }

    [Theory]
    [InlineData("exec sleep 1")]
    [InlineData("echo hello")]
    [InlineData("cd /tmp")]
    [InlineData("true")]
    [InlineData("kill 1")]
    [InlineData("ulimit -n 10")]
    [InlineData("! false")]
    [InlineData("while true")]
    [InlineData(". ./env.sh")]
    [InlineData("test -f x")]
    public void A_command_starting_with_a_shell_keyword_or_builtin_goes_to_the_shell(string command)
    {
        Assert.Null(SimpleCommand.TrySplit(command));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t ")]
    public void An_empty_command_goes_to_the_shell(string command)
    {
        Assert.Null(SimpleCommand.TrySplit(command));
    }
}
