using Drover.Core.Diagnostics;

namespace Drover.Core.Tests.Properties;

/// <summary>
/// What "a value or a clean error" means for a parser result, checked the same way for every parser: a failure has
/// at least one diagnostic, none of them twice, and each names the file, points at a line of the input (or 0 for the
/// whole file) and a column on it (or 0), and says what is wrong in a bounded message that cannot garble a terminal.
/// </summary>
internal static class CleanResult
{
    // Quoted excerpts are cut at 60 characters, but each control character in one is escaped as 6 ("\u0000"), and
    // a message may quote two excerpts: 1000 is well above any real message and far below a quoted long line.
    private const int MaxMessageLength = 1000;

    /// <summary>Checks the shape of <paramref name="result"/> for a multi-line <paramref name="text"/>.</summary>
    /// <param name="result">What the parser returned.</param>
    /// <param name="text">What it parsed.</param>
    /// <param name="file">The file name it was given.</param>
    /// <param name="allowRepeats">Tolerates a diagnostic reported twice (a known bug; see the test that names it).</param>
    public static void Check<T>(Result<T> result, string text, string file, bool allowRepeats = false)
    {
        string[] lines = ParserInputs.Lines(text);
        CheckShape(result, file, allowRepeats, (line, column) =>
        {
            Assert.InRange(line, 0, lines.Length);
            if (line == 0)
            {
                Assert.Equal(0, column);
            }
            else
            {
                // A column may point just past the end of its line ("no command after ':'").
                Assert.InRange(column, 0, lines[line - 1].Length + 1);
            }
        });
    }

    /// <summary>Checks the shape of <paramref name="result"/> for a one-line flag value such as <c>-m</c>'s.</summary>
    public static void CheckFlag<T>(Result<T> result, string text, string flag)
    {
        int lines = ParserInputs.LineCount(text);
        CheckShape(result, flag, allowRepeats: false, (line, column) =>
        {
            Assert.InRange(line, 0, lines);
            Assert.InRange(column, 0, text.Length + 1);
        });
    }

    private static void CheckShape<T>(Result<T> result, string file, bool allowRepeats, Action<int, int> checkPlace)
    {
        if (result.Ok)
        {
            Assert.Empty(result.Errors);
            Assert.NotNull(result.Value);
            return;
        }
        Assert.NotEmpty(result.Errors);
        Assert.Throws<InvalidOperationException>(() => result.Value);
        var repeated = result.Errors.GroupBy(e => e).FirstOrDefault(g => g.Count() > 1);
        Assert.True(allowRepeats || repeated is null, $"reported {repeated?.Count()} times: {repeated?.Key}");
        foreach (var error in result.Errors)
        {
            Assert.Equal(file, error.File);
            checkPlace(error.Line, error.Column);
            Assert.False(string.IsNullOrWhiteSpace(error.Message), $"an empty message at line {error.Line}");
            Assert.True(error.Message.Length <= MaxMessageLength, $"a message of {error.Message.Length} characters");
            Assert.DoesNotContain(error.Message, char.IsControl);
            Assert.False(string.IsNullOrEmpty(error.ToString()));
        }
    }
}
