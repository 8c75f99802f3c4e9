using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using k8s;
using k8s.Models;

namespace Drover.Export.Kubernetes;

/// <summary>
/// Kubernetes: per type a Deployment (replicas = count) and, for the types that listen, a Service; the env in a
/// ConfigMap and, for names <see cref="SecretNames"/> matches, a Secret; a kustomization.yaml listing them all.
/// Built from the KubernetesClient models, not from text: each object is serialized to JSON with
/// System.Text.Json through the package's source-generated <see cref="SourceGenerationContext"/> (no reflection,
/// so it works in the Native AOT binary; null properties are left out), and the JSON is written as YAML by
/// <see cref="JsonYaml"/>.
/// </summary>
/// <remarks>
/// Every replica of a type gets the same PORT (base + 100 * type index), since pods have their own network
/// namespace and a Deployment cannot give each replica its own value.
/// </remarks>
public sealed class KubernetesExporter : IExporter
{
    /// <summary>The label holding the app name.</summary>
    public const string AppLabel = "app";

    /// <summary>The label holding the process type.</summary>
    public const string TypeLabel = "process-type";

    /// <inheritdoc/>
    public string Format => "kubernetes";

    /// <inheritdoc/>
    public string Description => "a Deployment per type, a Service per listening type, ConfigMap + Secret, kustomization.yaml (needs --image)";

    /// <inheritdoc/>
    public Result<IReadOnlyList<ExportFile>> Export(ExportRequest request)
    {
        var manifests = Manifests(request);
        if (!manifests.Ok)
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(manifests.Errors);
        }
        var files = manifests.Value.Select(m => new ExportFile(m.Path, Header + JsonYaml.Document(m.Json, LeadingKeys), m.Mode)).ToList();
        files.Insert(0, Kustomization(request, files));
        return Result<IReadOnlyList<ExportFile>>.Success(files);
    }

    /// <summary>One Kubernetes object as the JSON the API would get, and the file it goes to.</summary>
    internal readonly record struct Manifest(string Path, JsonElement Json, UnixFileMode Mode);

    /// <summary>The objects <see cref="Export"/> writes, in its order, before they become YAML.</summary>
    internal static Result<IReadOnlyList<Manifest>> Manifests(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Check(request);
        if (errors.Count > 0)
        {
            return Result<IReadOnlyList<Manifest>>.Failure(errors);
        }

        var manifests = new List<Manifest>();
        var config = request.SortedEnvironment().Where(e => !SecretNames.IsSecret(e.Key)).ToList();
        var secret = request.SortedEnvironment().Where(e => SecretNames.IsSecret(e.Key)).ToList();
        string configName = $"{request.App}-env";
        string secretName = $"{request.App}-secrets";
        if (config.Count > 0)
        {
            var map = new V1ConfigMap
            {
                ApiVersion = V1ConfigMap.KubeApiVersion,
                Kind = V1ConfigMap.KubeKind,
                Metadata = Metadata(configName, request.App, null),
                Data = config.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            };
            manifests.Add(ToManifest($"{configName}.configmap.yaml", map, Json.V1ConfigMap, ExportFile.Private));
        }
        if (secret.Count > 0)
        {
            var s = new V1Secret
            {
                ApiVersion = V1Secret.KubeApiVersion,
                Kind = V1Secret.KubeKind,
                Metadata = Metadata(secretName, request.App, null),
                Type = "Opaque",
                StringData = secret.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            };
            manifests.Add(ToManifest($"{secretName}.secret.yaml", s, Json.V1Secret, ExportFile.Private));
        }

        // Types with a count of 0 are kept with replicas: 0, so `kubectl scale` can start them later.
        foreach (var entry in request.Formation.Entries)
        {
            string name = $"{request.App}-{entry.Type.Name}";
            manifests.Add(ToManifest($"{name}.deployment.yaml",
                Deployment(request, entry, config.Count > 0 ? configName : null, secret.Count > 0 ? secretName : null),
                Json.V1Deployment, ExportFile.Public));
            if (request.Listens(entry.Type.Name))
            {
                manifests.Add(ToManifest($"{name}.service.yaml", Service(request, entry), Json.V1Service, ExportFile.Public));
            }
        }

        return Result<IReadOnlyList<Manifest>>.Success(manifests);
    }

    private static List<Diagnostic> Check(ExportRequest request)
    {
        var errors = new List<Diagnostic>();
        if (string.IsNullOrWhiteSpace(request.Image))
        {
            errors.Add(new Diagnostic("--image", 0, 0, "kubernetes needs the container image to run, e.g. --image registry.example/myapp:1.4"));
        }
        if (request.User is { } user && !ExportValidation.IsNumericUser(user))
        {
            errors.Add(new Diagnostic("-u", 0, 0,
                $"kubernetes runs containers as a numeric user id (runAsUser), not a name like {UserText.Quote(user)}; give -u 1000 or leave -u out"));
        }
        if (!KubernetesNames.IsDns1035Label(request.App))
        {
            errors.Add(new Diagnostic("-a", 0, 0,
                $"app name {UserText.Quote(request.App)} must start with a letter for kubernetes (Service names are RFC 1035 labels)"));
        }
        foreach (var entry in request.Formation.Entries)
        {
            string type = entry.Type.Name;
            if (!KubernetesNames.IsDns1123Label(type))
            {
                errors.Add(new Diagnostic("kubernetes", 0, 0,
                    $"process type {UserText.Quote(type)} is not a valid Kubernetes name: use lowercase letters, digits and '-'"));
            }
            else if (request.App.Length + 1 + type.Length > KubernetesNames.MaxLabel)
            {
                errors.Add(new Diagnostic("kubernetes", 0, 0,
                    $"the object name {request.App}-{type} is longer than {KubernetesNames.MaxLabel} characters; choose a shorter app name"));
            }
        }
        return errors;
    }

    private static V1ObjectMeta Metadata(string name, string app, string? type)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [AppLabel] = app };
        if (type is not null)
        {
            labels[TypeLabel] = type;
        }
        return new V1ObjectMeta { Name = name, Labels = labels };
    }

    private static Dictionary<string, string> Selector(string app, string type) =>
        new(StringComparer.Ordinal) { [AppLabel] = app, [TypeLabel] = type };

    private static V1Deployment Deployment(ExportRequest request, FormationEntry entry, string? configName, string? secretName)
    {
        string type = entry.Type.Name;
        string port = request.Port(entry, 1);
        var env = new List<V1EnvVar>
        {
            new() { Name = "PORT", Value = port },
            // The pod's name is unique per replica, which is what PS and DYNO are for.
            new() { Name = "PS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new() { Name = "DYNO", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
        };
        // The type's own variables (settings file), after the app's envFrom, so they win.
        env.AddRange(request.TypeEnvironment(type).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        var settings = request.SettingsOf(type);
        int portNumber = int.Parse(port, CultureInfo.InvariantCulture);
        var envFrom = new List<V1EnvFromSource>();
        if (configName is not null)
        {
            envFrom.Add(new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = configName } });
        }
        if (secretName is not null)
        {
            envFrom.Add(new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secretName } });
        }
        var container = new V1Container
        {
            Name = type,
            Image = request.Image,
            Command = [PortPrologue.Shell, "-c", entry.Type.Command],
            WorkingDir = request.WorkingDirectoryGiven ? Systemd.SystemdSettings.WorkingDirectory(request, type)
                : settings.WorkingDirectory is string dir && Path.IsPathRooted(dir) ? dir : null,
            ReadinessProbe = KubernetesProbes.Probe(settings.Readiness, portNumber, liveness: false),
            LivenessProbe = KubernetesProbes.Probe(settings.Liveness, portNumber, liveness: true),
            Lifecycle = KubernetesProbes.Lifecycle(settings),
            Env = env,
            EnvFrom = envFrom.Count > 0 ? envFrom : null,
            Ports = request.Listens(type)
                ? [new V1ContainerPort { Name = "http", ContainerPort = int.Parse(port, CultureInfo.InvariantCulture) }]
                : null,
        };
        return new V1Deployment
        {
            ApiVersion = $"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}",
            Kind = V1Deployment.KubeKind,
            Metadata = Metadata($"{request.App}-{type}", request.App, type),
            Spec = new V1DeploymentSpec
            {
                Replicas = entry.Count,
                Selector = new V1LabelSelector { MatchLabels = Selector(request.App, type) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Selector(request.App, type) },
                    Spec = new V1PodSpec
                    {
                        // SIGTERM, then SIGKILL after -t seconds.
                        TerminationGracePeriodSeconds = settings.Shutdown.Timeout is TimeSpan t ? (long)Math.Ceiling(t.TotalSeconds) : request.StopTimeoutSeconds,
                        // The pause container becomes PID 1 and the command's process an ordinary one, so SIGTERM's
                        // default action applies: as PID 1 a process without a handler ignores SIGTERM, and every
                        // stop would wait out the grace period. The pause process also reaps orphans.
                        ShareProcessNamespace = true,
                        SecurityContext = request.User is { } uid
                            ? new V1PodSecurityContext { RunAsUser = long.Parse(uid, CultureInfo.InvariantCulture) }
                            : null,
                        Containers = [container],
                    },
                },
            },
        };
    }

    private static V1Service Service(ExportRequest request, FormationEntry entry)
    {
        string type = entry.Type.Name;
        int port = int.Parse(request.Port(entry, 1), CultureInfo.InvariantCulture);
        return new V1Service
        {
            ApiVersion = V1Service.KubeApiVersion,
            Kind = V1Service.KubeKind,
            Metadata = Metadata($"{request.App}-{type}", request.App, type),
            Spec = new V1ServiceSpec
            {
                Selector = Selector(request.App, type),
                Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = port }],
            },
        };
    }

    private static ExportFile Kustomization(ExportRequest request, List<ExportFile> resources)
    {
        // Not a Kubernetes object, so there is no model for it; the few lines are written plainly.
        var sb = new StringBuilder();
        sb.Append("# ").Append(request.App).Append(": `kubectl apply -k .` applies everything below.\n");
        sb.Append("# Written by `drover export kubernetes`: export again rather than editing.\n");
        sb.Append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        sb.Append("kind: Kustomization\n");
        sb.Append("resources:\n");
        foreach (var file in resources)
        {
            sb.Append("- ").Append(file.Path).Append('\n');
        }
        return new ExportFile("kustomization.yaml", sb.ToString(), ExportFile.Public);
    }

    /// <summary>The keys a manifest starts with; the rest follow in the models' (alphabetical) order.</summary>
    internal static readonly IReadOnlyList<string> LeadingKeys = ["apiVersion", "kind", "metadata"];

    /// <summary>The source-generated serializer metadata of the Kubernetes models (options: camelCase, nulls omitted).</summary>
    internal static SourceGenerationContext Json => SourceGenerationContext.Default;

    /// <summary>A model as the JSON the Kubernetes API would get, without reflection.</summary>
    internal static JsonElement ToJson<T>(T model, JsonTypeInfo<T> type) => JsonSerializer.SerializeToElement(model, type);

    private static Manifest ToManifest<T>(string path, T model, JsonTypeInfo<T> type, UnixFileMode mode) =>
        new(path, ToJson(model, type), mode);

    private const string Header = "# Written by `drover export kubernetes`: export again rather than editing.\n";
}
