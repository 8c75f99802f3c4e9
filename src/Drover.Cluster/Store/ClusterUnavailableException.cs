namespace Drover.Cluster.Store;

/// <summary>etcd could not be reached or did not answer in time; the message says which endpoints were tried.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
