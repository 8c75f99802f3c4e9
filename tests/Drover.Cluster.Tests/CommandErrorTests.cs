using Drover.Cluster.Tests.Support;

namespace Drover.Cluster.Tests;

public sealed class CommandErrorTests
{
    [Fact]
    public async Task An_unreachable_etcd_is_a_clear_error_with_exit_code_1()
    {
        int port = FreePorts.Take(1)[0];
        var (code, _, stderr) = await ClusterHarness.RunDroverAsync("cluster", "--etcd", $"http://127.0.0.1:{port}", "--app", "x", "ps");
        Assert.Equal(1, code);
        Assert.Contains("cannot reach the cluster", stderr);
        Assert.Contains($"127.0.0.1:{port}", stderr);
    }

    [Fact]
    public async Task An_agent_that_cannot_reach_etcd_at_start_exits_1_and_starts_nothing()
    {
        int port = FreePorts.Take(1)[0];
        string root = Path.Combine(Path.GetTempPath(), "drover-cluster-tests", "app-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        string marker = Path.Combine(root, "started");
        File.WriteAllText(Path.Combine(root, "Procfile"), $"web: touch {marker}; exec sleep 100\n");
        try
        {
            var (code, _, stderr) = await ClusterHarness.RunDroverAsync(
                "agent", "--etcd", $"http://127.0.0.1:{port}", "--app", "a", "-f", Path.Combine(root, "Procfile"));
            Assert.Equal(1, code);
            Assert.Contains("cannot join the cluster", stderr);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("cluster", "--etcd", "http://127.0.0.1:2379", "--app", "a/b", "ps")]
    [InlineData("cluster", "--etcd", "not a url", "--app", "a", "ps")]
    [InlineData("cluster", "--app", "a", "ps")]
    [InlineData("cluster", "--etcd", "http://127.0.0.1:2379", "--app", "a", "scale", "web=-1")]
    public async Task Bad_arguments_exit_with_2(params string[] args)
    {
        var (code, _, stderr) = await ClusterHarness.RunDroverAsync(args);
        Assert.Equal(2, code);
        Assert.StartsWith("drover: ", stderr);
    }

    [Theory]
    [InlineData("4", "3")]
    // -t 3 + the fence allowance (a fifth of 6 s, 1.2 s) + 2 s is more than 6 s.
    [InlineData("6", "3")]
    public async Task An_agent_whose_lease_is_too_short_for_its_stop_timeout_is_refused(string lease, string timeout)
    {
        var (code, _, stderr) = await ClusterHarness.RunDroverAsync(
            "agent", "--etcd", "http://127.0.0.1:2379", "--app", "a", "--lease-ttl", lease, "-t", timeout);
        Assert.Equal(2, code);
        Assert.Contains("--lease-ttl", stderr);
        Assert.Contains("fence allowance", stderr);
    }
}
