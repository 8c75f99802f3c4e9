using System.Text.Json.Serialization;

namespace Drover.Cluster.State;

/// <summary>Source-generated JSON for the values stored in etcd (no reflection, Native AOT safe); shared with the CLI.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(NodeRecord))]
[JsonSerializable(typeof(SlotClaim))]
public sealed partial class ClusterJson : JsonSerializerContext;
