using Drover.Export.Kubernetes;
using Drover.Export.Tests.Support;
using k8s;
using k8s.Models;

namespace Drover.Export.Tests;

/// <summary>The Kubernetes manifests read back strictly, and what they say. No API server runs here.</summary>
public sealed class KubernetesTests
{
    private static IReadOnlyList<ExportFile> Export(IReadOnlyList<string>? listen = null) =>
        Exporters.Export("kubernetes", Fixtures.Request(image: "registry.example/myapp:1.4", user: null, listen: listen)).Value;

    private static List<object> Objects(IReadOnlyList<ExportFile> files) =>
        [.. files.Where(f => f.Path != "kustomization.yaml").SelectMany(f => KubernetesYaml.LoadAllFromString(f.Content, strict: true))];

    [Fact]
    public void Every_manifest_round_trips_through_KubernetesYaml_in_strict_mode()
    {
        var files = Export();
        foreach (var file in files.Where(f => f.Path != "kustomization.yaml"))
        {
            var model = Assert.Single(KubernetesYaml.LoadAllFromString(file.Content, strict: true));
            string body = file.Content[(file.Content.IndexOf('\n', StringComparison.Ordinal) + 1)..];
            Assert.Equal(body.TrimEnd('\n'), KubernetesYaml.Serialize(model).TrimEnd('\n'));
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
}
