using System.Globalization;
using System.Text.RegularExpressions;

namespace Drover.Dashboard.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a HELP, a TYPE or a
/// sample of a family whose TYPE came first; anything else fails the test. Samples keyed as <c>name{a="1",b="2"}</c>
/// with labels in the order written.
/// </summary>
internal static partial class PrometheusText
{
    public static (Dictionary<string, double> Samples, Dictionary<string, string> Types) Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            if (TypeLine().Match(line) is { Success: true } type)
            {
                Assert.True(types.TryAdd(type.Groups["name"].Value, type.Groups["type"].Value), $"line {number}: a second TYPE for {type.Groups["name"].Value}");
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"line {number} is not in the Prometheus text format: {line}");
            string name = sample.Groups["name"].Value;
            Assert.True(types.ContainsKey(name), $"line {number}: sample of {name} before its TYPE");
            string key = name + sample.Groups["labels"].Value;
            Assert.True(samples.TryAdd(key, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)), $"line {number}: {key} twice");
        }
        return (samples, types);
    }

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (?<value>-?[0-9.eE+-]+|NaN|[+-]Inf)(?: -?[0-9]+)?$""")]
    private static partial Regex SampleLine();
}
