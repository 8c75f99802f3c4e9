extern alias k8sfull;

using System.Text.Json;
using System.Text.Json.Serialization;
using Drover.Export.Kubernetes;
using Drover.Export.Tests.Support;
using k8sfull::k8s.Models;
using IKubernetesObject = k8sfull::k8s.IKubernetesObject;
using KubernetesJson = k8sfull::k8s.KubernetesJson;
using KubernetesYaml = k8sfull::k8s.KubernetesYaml;

namespace Drover.Export.Tests;

/// <summary>
/// The Kubernetes manifests read back strictly, and what they say. Drover.Export uses KubernetesClient.Aot (no
/// YAML of its own); they are read here by the full KubernetesClient, whose KubernetesYaml (YamlDotNet) rejects
/// unknown fields, under the extern alias k8sfull since both packages define k8s.Models. No API server runs here.
/// </summary>
public sealed class KubernetesTests
{
    private static IReadOnlyList<ExportFile> Export(IReadOnlyList<string>? listen = null) =>
        Exporters.Export("kubernetes", Fixtures.Request(image: "registry.example/myapp:1.4", user: null, listen: listen)).Value;

    private static List<object> Objects(IReadOnlyList<ExportFile> files) =>
        [.. files.Where(f => f.Path != "kustomization.yaml").SelectMany(f => KubernetesYaml.LoadAllFromString(f.Content, strict: true))];

    /// <summary>Values that are anything but plain YAML strings.</summary>
    internal static Dictionary<string, string> TrickyEnvironment() => new(StringComparer.Ordinal)
    {
        ["BOOL"] = "yes",
        ["TRUE"] = "true",
        ["NULL"] = "null",
        ["TILDE"] = "~",
        ["INT"] = "5000",
        ["OCTAL"] = "0755",
        ["FLOAT"] = "1.5",
        ["VERSION"] = "1.4",
        ["SEXAGESIMAL"] = "12:30",
        ["DATE"] = "2001-12-14",
        ["EMPTY"] = "",
        ["SPACES"] = "  padded  ",
        ["COLON"] = "a: b",
        ["HASH"] = "x #y",
        ["DASH"] = "- item",
        ["STAR"] = "*alias",
        ["QUOTES"] = "'single' \"double\"",
        ["SCRIPT"] = "#!/bin/sh\nset -e\nexec \"$@\"\n",
        ["NO_FINAL_NEWLINE"] = "line one\nline two",
        ["INDENTED"] = "  first\nsecond",
        ["CRLF"] = "a\r\nb",
        ["TAB"] = "a\tb",
        ["UNICODE"] = "héllo 日本語 🚀",
        ["LINE_SEPARATOR"] = "a\u2028b",
        ["DB_PASSWORD"] = "no",
    };

    private static ExportRequest TrickyRequest() =>
        Fixtures.Request(image: "registry.example/myapp:1.4", user: null, env: TrickyEnvironment());

    public static TheoryData<string> Requests() => ["default", "options", "tricky"];

    private static ExportRequest Request(string name) => name switch
    {
        "default" => Fixtures.Request(image: "registry.example/myapp:1.4", user: null),
        "options" => Fixtures.Request(image: "registry.example/myapp:1.4", user: "1000", listen: ["web", "worker"],
            env: new Dictionary<string, string>(), root: "/app", rootGiven: true),
        "tricky" => TrickyRequest(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Every_manifest_reads_back_strictly_as_the_object_it_was_written_from(string request)
    {
        var manifests = KubernetesExporter.Manifests(Request(request)).Value;
        var files = Exporters.Export("kubernetes", Request(request)).Value;
        Assert.Equal(manifests.Select(m => m.Path), files.Where(f => f.Path != "kustomization.yaml").Select(f => f.Path));

        foreach (var manifest in manifests)
        {
            var file = files.Single(f => f.Path == manifest.Path);
            var model = Assert.Single(KubernetesYaml.LoadAllFromString(file.Content, strict: true));
            // The full client's model, serialized by the full client, is the JSON the Aot models were written from.
            var back = JsonDocument.Parse(KubernetesJson.Serialize(model)).RootElement;
            Assert.True(JsonElement.DeepEquals(manifest.Json, back),
                $"{manifest.Path} read back as\n{back.GetRawText()}\nnot\n{manifest.Json.GetRawText()}");
            Assert.Equal(manifest.Json.GetProperty("kind").GetString(), ((IKubernetesObject)model).Kind);
        }
    }

    [Fact]
    public void Tricky_values_keep_their_text_in_the_ConfigMap_and_the_Secret()
    {
        var objects = Objects(Exporters.Export("kubernetes", TrickyRequest()).Value);

        var config = Assert.Single(objects.OfType<V1ConfigMap>());
        var secret = Assert.Single(objects.OfType<V1Secret>());
        var expected = TrickyEnvironment();
        expected.Remove("DB_PASSWORD");
        Assert.Equal(expected, config.Data);
        Assert.Equal(new Dictionary<string, string> { ["DB_PASSWORD"] = "no" }, secret.StringData);
    }

    [Fact]
    public void Null_properties_are_left_out()
    {
        Assert.Equal(JsonIgnoreCondition.WhenWritingNull, KubernetesExporter.Json.Options.DefaultIgnoreCondition);
        foreach (var manifest in KubernetesExporter.Manifests(Request("default")).Value)
        {
            Assert.False(HasNull(manifest.Json), manifest.Path);
        }
        Assert.All(Export(), f => Assert.DoesNotContain("null", f.Content, StringComparison.Ordinal));

        static bool HasNull(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.Object => e.EnumerateObject().Any(p => HasNull(p.Value)),
            JsonValueKind.Array => e.EnumerateArray().Any(HasNull),
            _ => false,
        };
    }

    [Fact]
    public void Manifests_start_with_apiVersion_kind_and_metadata()
    {
        foreach (var file in Export().Where(f => f.Path != "kustomization.yaml"))
        {
            string[] lines = file.Content.Split('\n');
            Assert.StartsWith("# Written by `drover export kubernetes`", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("apiVersion: ", lines[1], StringComparison.Ordinal);
            Assert.StartsWith("kind: ", lines[2], StringComparison.Ordinal);
            Assert.Equal("metadata:", lines[3]);
        }
    }

    [Fact]
    public void A_deployment_per_type_with_replicas_labels_grace_period_and_the_same_port_for_every_replica()
    {
        var deployments = Objects(Export()).OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);

        Assert.Equal(["myapp-web", "myapp-worker", "myapp-clock"], deployments.Keys);
        Assert.Equal([2, 1, 0], deployments.Values.Select(d => d.Spec.Replicas ?? -1));
        var web = deployments["myapp-web"];
        Assert.Equal(new Dictionary<string, string> { ["app"] = "myapp", ["process-type"] = "web" }, web.Spec.Selector.MatchLabels);
        Assert.Equal(web.Spec.Selector.MatchLabels, web.Spec.Template.Metadata.Labels);
        Assert.Equal(5, web.Spec.Template.Spec.TerminationGracePeriodSeconds);
        var container = Assert.Single(web.Spec.Template.Spec.Containers);
        Assert.Equal(["/bin/sh", "-c", "perl web.pl --greeting \"$GREETING\" 100%"], container.Command);
        Assert.Equal("5000", container.Env.Single(e => e.Name == "PORT").Value);
        Assert.Equal(5000, Assert.Single(container.Ports).ContainerPort);
        Assert.Equal("5100", deployments["myapp-worker"].Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "PORT").Value);
    }

    [Fact]
    public void Secrets_go_to_a_Secret_and_everything_else_to_a_ConfigMap()
    {
        var objects = Objects(Export());

        var secret = Assert.Single(objects.OfType<V1Secret>());
        var config = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Equal(["API_KEY", "db_password"], secret.StringData.Keys);
        Assert.Equal(["DATABASE_URL", "EMPTY", "GREETING"], config.Data.Keys);
        Assert.Equal("hello, \"world\" 100% $HOME \\ done", config.Data["GREETING"]);
    }

    [Theory]
    [InlineData("API_KEY", true)]
    [InlineData("STRIPE_SECRET", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("github_token", true)]
    [InlineData("TOKEN", true)]
    [InlineData("SECRET_KEY_BASE", false)]
    [InlineData("KEYBOARD", false)]
    [InlineData("MONKEY", false)]
    [InlineData("DATABASE_URL", false)]
    public void The_secret_pattern_matches_by_name_suffix(string name, bool secret) =>
        Assert.Equal(secret, SecretNames.IsSecret(name));

    [Fact]
    public void Listening_types_get_a_service_on_their_port()
    {
        var services = Objects(Export(listen: ["web", "worker"])).OfType<V1Service>().ToList();

        Assert.Equal(["myapp-web", "myapp-worker"], services.Select(s => s.Metadata.Name));
        var worker = services[1];
        Assert.Equal("worker", worker.Spec.Selector["process-type"]);
        Assert.Equal(5100, Assert.Single(worker.Spec.Ports).Port);
    }

    [Fact]
    public void By_default_only_web_listens() =>
        Assert.Equal(["myapp-web"], Objects(Export()).OfType<V1Service>().Select(s => s.Metadata.Name));

    [RequiresCommandFact("kubectl")]
    public void Kubectl_kustomize_builds_the_directory()
    {
        using var tmp = new TempDir();
        var files = Export();
        foreach (var file in files)
        {
            File.WriteAllText(tmp.Combine(file.Path), file.Content);
        }

        var (code, stdout, stderr) = Commands.Run("kubectl", ["kustomize", tmp.Path], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, stderr);
        var objects = KubernetesYaml.LoadAllFromString(stdout, strict: true);
        Assert.Equal(files.Count - 1, objects.Count);
        Assert.Equal(["ConfigMap", "Secret", "Service", "Deployment", "Deployment", "Deployment"],
            objects.Select(o => ((IKubernetesObject)o).Kind));
    }

    [RequiresCommandFact("kubectl")]
    public void Kubectl_kustomize_reads_tricky_values_as_the_same_strings()
    {
        // kustomize reads the files with go-yaml, as kubectl apply does, and writes them out again.
        using var tmp = new TempDir();
        foreach (var file in Exporters.Export("kubernetes", TrickyRequest()).Value)
        {
            File.WriteAllText(tmp.Combine(file.Path), file.Content);
        }

        var (code, stdout, stderr) = Commands.Run("kubectl", ["kustomize", tmp.Path], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, stderr);
        var objects = KubernetesYaml.LoadAllFromString(stdout, strict: true);
        var config = Assert.Single(objects.OfType<V1ConfigMap>());
        var expected = TrickyEnvironment();
        expected.Remove("DB_PASSWORD");
        Assert.Equal(expected, config.Data);
        Assert.Equal("no", Assert.Single(objects.OfType<V1Secret>()).StringData["DB_PASSWORD"]);
    }
}
