using System.Buffers.Text;
using System.Text;
using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests.Reliability;

/// <summary>
/// Processes that write numbered lines as fast as they can, and the check that drover passed every one of them on
/// once, whole and in order. Each line is 55 bytes (<c>TAG NNNNNNNN FILLER\n</c>); the writer sends them in 4 KiB
/// <c>syswrite</c>s, and 4096 is not a multiple of 55, so nearly every write ends in the middle of a line.
/// </summary>
internal static class Flood
{
    /// <summary>The bytes of one line, newline included.</summary>
    public const int LineLength = 55;

    private const string Filler = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
    private static readonly byte[] FillerBytes = Encoding.ASCII.GetBytes(Filler);

    private static readonly string[] Script =
    [
        "use strict; use warnings;",
        "my ($tag, $count) = @ARGV;",
        "my $buffer = '';",
        "for my $i (1 .. $count) {",
        $"    $buffer .= sprintf(\"%s %08d {Filler}\\n\", $tag, $i);",
        "    put(substr($buffer, 0, 4096, '')) while length($buffer) >= 4096;",
        "}",
        "put($buffer) if length $buffer;",
        "sub put { my $data = shift; while (length $data) { my $n = syswrite(STDOUT, $data); die \"write: $!\" unless defined $n; substr($data, 0, $n, ''); } }",
    ];

    /// <summary>Adds <c>flood.pl</c> to the app.</summary>
    public static TempApp WithFloodScript(this TempApp app) => app.WithFile("flood.pl", Script);

    /// <summary>
    /// The Procfile command of a process that writes <paramref name="lines"/> lines tagged <paramref name="tag"/>
    /// (two characters, so each line is <see cref="LineLength"/> bytes).
    /// </summary>
    public static string Command(string tag, int lines)
    {
        if (tag.Length != 2)
        {
            throw new ArgumentException("the tag must have two characters", nameof(tag));
        }
        return $"perl flood.pl {tag} {lines}";
    }

    /// <summary>
    /// Checks that <paramref name="stdout"/> (drover's output, no timestamps) holds, for each instance, exactly the
    /// lines its flood wrote, in order, and nothing else but drover's own <c>system</c> lines, which it returns.
    /// </summary>
    /// <param name="stdout">Drover's stdout, as bytes.</param>
    /// <param name="floods">Instance name (<c>w1.1</c>) to the tag and the number of lines it wrote.</param>
    public static IReadOnlyList<string> AssertComplete(byte[] stdout, IReadOnlyDictionary<string, (string Tag, int Lines)> floods)
    {
        var next = floods.Keys.ToDictionary(k => k, _ => 1);
        var problems = new List<string>();
        var system = new List<string>();
        ReadOnlySpan<byte> rest = stdout;
        int lineNumber = 0;
        while (!rest.IsEmpty && problems.Count < 10)
        {
            lineNumber++;
            int end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                problems.Add($"output line {lineNumber} has no newline: {Show(rest)}");
                break;
            }
            var line = rest[..end];
            rest = rest[(end + 1)..];
            int bar = line.IndexOf(" | "u8);
            string name = bar < 0 ? "" : Encoding.UTF8.GetString(line[..bar]).TrimEnd(' ');
            if (name == "system")
            {
                system.Add(Encoding.UTF8.GetString(line[(bar + 3)..]));
            }
            else if (next.TryGetValue(name, out int expected))
            {
                var (tag, count) = floods[name];
                var text = line[(bar + 3)..];
                if (expected > count || !IsLine(text, tag, expected))
                {
                    problems.Add($"output line {lineNumber}: expected {name}'s line {expected} "
                        + $"\"{(expected > count ? "(none: all were written)" : Line(tag, expected))}\" but found {Show(text)}");
                }
                next[name] = expected + 1;
            }
            else
            {
                problems.Add($"output line {lineNumber} is not a prefixed line of a known process: {Show(line)}");
            }
        }
        foreach (var (name, (_, count)) in floods)
        {
            if (next[name] - 1 != count)
            {
                problems.Add($"{name} wrote {count} lines; {next[name] - 1} came out");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return system;
    }

    /// <summary>Line <paramref name="number"/> of the flood tagged <paramref name="tag"/>, without its newline.</summary>
    public static string Line(string tag, int number) => $"{tag} {number:D8} {Filler}";

    private static bool IsLine(ReadOnlySpan<byte> text, string tag, int number) =>
        text.Length == LineLength - 1
        && text[0] == tag[0] && text[1] == tag[1] && text[2] == (byte)' ' && text[11] == (byte)' '
        && Utf8Parser.TryParse(text[3..11], out int n, out int used) && used == 8 && n == number
        && text[12..].SequenceEqual(FillerBytes);

    private static string Show(ReadOnlySpan<byte> bytes)
    {
        string text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 200)]);
        return $"\"{text}\"{(bytes.Length > 200 ? $"... ({bytes.Length} bytes)" : "")}";
    }
}
