using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Drover.Export.Kubernetes;
using Drover.Export.Tests.Support;

namespace Drover.Export.Tests;

/// <summary>
/// The JSON → YAML emitter behind the Kubernetes manifests: exact output for the shapes it writes, and every
/// tricky string read back unchanged by YamlDotNet, with no plain scalar that a YAML 1.1 or 1.2 reader would take
/// for a number, boolean or null.
/// </summary>
public sealed class JsonYamlTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Yaml(string json) => JsonYaml.Document(Json(json));

    /// <summary>Emits <paramref name="json"/>, reads it back with YamlDotNet and checks it is the same JSON.</summary>
    private static string RoundTrip(JsonElement json)
    {
        string yaml = JsonYaml.Document(json);
        var back = YamlToJson.Element(YamlToJson.Document(yaml));
        Assert.True(JsonElement.DeepEquals(json, back), $"YAML:\n{yaml}\nread back as {back.GetRawText()}, not {json.GetRawText()}");
        return yaml;
    }

    /// <summary>Strings that a naive emitter gets wrong.</summary>
    public static readonly string[] Tricky =
    [
        "", " ", "  leading", "trailing ", "\t", "tab\there", "trailing tab\t",
        "true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "Y", "null", "Null", "~", "=", "<<",
        "0", "5000", "007", "-1", "+1", "1.5", ".5", "1.", "1e3", "1E+3", "0x1F", "0o17", "0b101", "1_000", "12:30:45",
        "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00", ".inf", "-.Inf", ".NaN", "NaN", "Infinity", "1.4 beta",
        "-", "--", "---", "--- x", "...", "- x", "-c", "--flag=1", "?", "? x", "?x", ":", ":x", "::1", "a:", "a: b", "a:b",
        "http://x:80/p?q=1#frag", "a #b", "a#b", "#x", "&anchor", "*alias", "!tag", "!!str", "|", "|-", ">", "> x",
        "'single'", "it's", "\"double\"", "say \"hi\"", "%percent", "100%", "@at", "`tick", "[1, 2]", "{a: 1}", "a, b",
        "x[0]", "{", "}", "]", ",", "a]b",
        "line1\nline2", "line1\nline2\n", "a\n\n", "a\n\n\n", "\n", "\n\n", "\nfoo", "\n foo", " lead\nx", "x\n indented",
        "trailing space \nnext", "x\n  \ny", "x\n\ty", "x\ty\nz", "cr\r\nlf", "lone\rcr", "a\n---\nb", "a\n...\nb",
        "key: value\n# comment\n- item\n", "back\\slash", "\\", "\\n", "quote\"s",
        "nul\0", "bell\a", "esc\u001B", "del\u007F", "c1\u0080\u009F", "nel\u0085", "nbsp\u00A0x", "\u00A0",
        "ls\u2028x", "ps\u2029x", "bom\uFEFF", "\uFEFFbom", "\uFFFE\uFFFF",
        "héllo", "日本語", "emoji 🚀", "🚀", "Ω≈ç√∫", "multi\nline with: colon # and hash\n  indented\n",
        "#!/bin/sh\nset -e\nexec \"$@\"\n", "x: 1\ny: [2]",
    ];

    public static TheoryData<string> TrickyStrings() => [.. Tricky];

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void A_tricky_string_reads_back_unchanged_as_a_value_a_key_and_a_sequence_item(string s)
    {
        var json = new JsonObject
        {
            ["value"] = s,
            [s] = "key",
            ["items"] = new JsonArray(s, new JsonObject { ["nested"] = s }, new JsonArray(s)),
        };

        RoundTrip(Json(json.ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void A_tricky_string_reads_back_unchanged_as_a_document(string s) =>
        RoundTrip(Json(new JsonArray(s).ToJsonString())[0]);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/bin/sh", "/bin/sh")]
    [InlineData("-c", "-c")]
    [InlineData("registry.example/myapp:1.4", "registry.example/myapp:1.4")]
    [InlineData("hello, \"world\" 100% $HOME \\ done", "hello, \"world\" 100% $HOME \\ done")]
    [InlineData("postgres://app:p%40ss@db/app?sslmode=require&x=$y", "postgres://app:p%40ss@db/app?sslmode=require&x=$y")]
    [InlineData("héllo 日本語 🚀", "héllo 日本語 🚀")]
    [InlineData("", "\"\"")]
    [InlineData("5000", "\"5000\"")]
    [InlineData("1.4", "\"1.4\"")]
    [InlineData("-1", "\"-1\"")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("Off", "\"Off\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("~", "\"~\"")]
    [InlineData(" x", "\" x\"")]
    [InlineData("x ", "\"x \"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("a:", "\"a:\"")]
    [InlineData("a #b", "\"a #b\"")]
    [InlineData("#x", "\"#x\"")]
    [InlineData("- x", "\"- x\"")]
    [InlineData("---", "\"---\"")]
    [InlineData("*x", "\"*x\"")]
    [InlineData("'q'", "\"'q'\"")]
    [InlineData("\"q\"", "\"\\\"q\\\"\"")]
    [InlineData("a\\b\tc", "\"a\\\\b\\tc\"")]
    [InlineData("a\nb", "\"a\\nb\"")]
    [InlineData("\0\u001B\u007F\u0085\u00A0\u2028\u2029\uFEFF", "\"\\0\\e\\x7F\\N\u00A0\\L\\P\\uFEFF\"")]
    public void Scalars_are_plain_only_when_nothing_else_can_be_read_into_them(string s, string yaml) =>
        Assert.Equal(yaml, JsonYaml.Scalar(s));

    [Fact]
    public void Numbers_booleans_and_null_are_written_as_JSON_wrote_them()
    {
        string yaml = RoundTrip(Json("""{"int":5000,"negative":-2,"zero":0,"float":1.5,"exp":1E+3,"t":true,"f":false,"nothing":null,"s":"5000"}"""));

        Assert.Equal("int: 5000\nnegative: -2\nzero: 0\nfloat: 1.5\nexp: 1E+3\nt: true\nf: false\nnothing: null\ns: \"5000\"\n", yaml);
    }

    [Fact]
    public void Maps_and_sequences_nest_in_block_style_with_sequences_not_indented_under_their_key()
    {
        string yaml = RoundTrip(Json("""
            {"a":[{"b":1,"c":[1,2]},{"d":{}},{"e":{"f":"g"}}],"h":[[1,2],[],[{"i":"j","k":[]}]],"l":{},"m":[],
             "deep":{"o":{"p":[{"q":[{"r":"s"}]}]}},"n":"the key n is a boolean to YAML 1.1"}
            """));

        Assert.Equal("""
            a:
            - b: 1
              c:
              - 1
              - 2
            - d: {}
            - e:
                f: g
            h:
            - - 1
              - 2
            - []
            - - i: j
                k: []
            l: {}
            m: []
            deep:
              o:
                p:
                - q:
                  - r: s
            "n": the key n is a boolean to YAML 1.1

            """, yaml);
    }

    [Fact]
    public void Multi_line_strings_are_literal_blocks_with_the_chomping_their_trailing_newlines_need()
    {
        string yaml = RoundTrip(Json("""
            {"clip":"a\nb\n","strip":"a\nb","keep":"a\n\n","inner":"x\n\n  y # z: w\n","seq":["one\ntwo",{"k":"3\n4\n"}],
             "lead":"\nfirst empty","after":1}
            """));

        Assert.Equal("""
            clip: |
              a
              b
            strip: |-
              a
              b
            keep: |+
              a

            inner: |
              x

                y # z: w
            seq:
            - |-
              one
              two
            - k: |
                3
                4
            lead: |-

              first empty
            after: 1

            """, yaml);
    }

    [Theory]
    [InlineData(" lead\nx")]
    [InlineData("\n lead")]
    [InlineData("x \ny")]
    [InlineData("x\n\ty")]
    [InlineData("x\r\ny")]
    [InlineData("x\n\u0085y")]
    [InlineData("\n")]
    [InlineData("x\n \ny")]
    public void Multi_line_strings_a_literal_block_could_not_keep_are_double_quoted(string s)
    {
        Assert.Null(JsonYaml.Literal(s));
        Assert.StartsWith("v: \"", RoundTrip(Json(new JsonObject { ["v"] = s }.ToJsonString())), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_scalar_roots_are_single_lines()
    {
        Assert.Equal("{}\n", RoundTrip(Json("{}")));
        Assert.Equal("[]\n", RoundTrip(Json("[]")));
        Assert.Equal("\"yes\"\n", RoundTrip(Json("\"yes\"")));
        Assert.Equal("42\n", RoundTrip(Json("42")));
        Assert.Equal("- 1\n- a\n", RoundTrip(Json("[1,\"a\"]")));
    }

    [Fact]
    public void Leading_keys_come_first_at_the_root_only_and_the_rest_keep_their_order()
    {
        var json = Json("""{"apiVersion":"v1","data":{"kind":"x","a":"b"},"kind":"ConfigMap","metadata":{"name":"cm"}}""");

        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  kind: x\n  a: b\n",
            JsonYaml.Document(json, ["apiVersion", "kind", "metadata", "absent"]));
    }

    [Fact]
    public void Documents_are_separated_by_three_dashes()
    {
        string yaml = JsonYaml.Documents([Json("""{"a":1}"""), Json("""{"b":["c"]}"""), Json("[]")]);

        Assert.Equal("a: 1\n---\nb:\n- c\n---\n[]\n", yaml);
        Assert.Equal(["""{"a":1}""", """{"b":["c"]}""", "[]"], YamlToJson.Documents(yaml).Select(d => d!.ToJsonString()));
    }

    [Fact]
    public void A_key_twice_in_one_object_is_refused() =>
        Assert.Throws<ArgumentException>(() => Yaml("""{"a":{"k":1,"k":2}}"""));

    [Fact]
    public void Random_strings_of_tricky_pieces_read_back_unchanged()
    {
        string[] pieces =
        [
            "a", "Z", "1", "0", ".", "-", "+", "_", ":", ": ", " ", "  ", "#", " #", "\n", "\n\n", "\t", "\r", "\"", "'",
            "\\", "|", ">", "&", "*", "!", "%", "@", "`", "?", "~", ",", "[", "]", "{", "}", "yes", "null", "true", "e3",
            "0x", "é", "日", "🚀", "\u0085", "\u2028", "\u00A0", "\uFEFF", "\0", "\u007F", "---", "...",
        ];
        var random = new Random(20260101);
        for (int n = 0; n < 2000; n++)
        {
            var sb = new StringBuilder();
            int count = random.Next(0, 7);
            for (int i = 0; i < count; i++)
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }
            string s = sb.ToString();
            RoundTrip(Json(new JsonObject { ["v"] = s, [s] = new JsonArray(s, new JsonObject { ["k"] = s }) }.ToJsonString()));
        }
    }

    [Fact]
    public void Every_plain_scalar_of_the_tricky_strings_is_a_string_to_every_reader()
    {
        // The oracle on its own, against the emitter's rule: what IsPlainSafe lets through is never a non-string.
        foreach (string s in Tricky.Where(JsonYaml.IsPlainSafe))
        {
            Assert.False(YamlToJson.IsNonString(s), s);
        }
        // And the oracle does know the usual suspects.
        Assert.All(["yes", "Off", "~", "", "0x1F", "1_000", "12:30", ".5", "1e3", "2001-12-14", "<<", "-.inf"],
            s => Assert.True(YamlToJson.IsNonString(s), s));
    }
}
