namespace Drover.Cluster.Tests;

/// <summary>End-to-end tests with etcd clusters and agents run one at a time: each is several processes on a small machine.</summary>
[CollectionDefinition("etcd", DisableParallelization = true)]
public sealed class EtcdTestGroup;
