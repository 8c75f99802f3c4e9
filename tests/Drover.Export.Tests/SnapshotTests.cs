using Drover.Export.Tests.Support;

namespace Drover.Export.Tests;

/// <summary>Every format's exact output for one formation, compared with the files under Snapshots/.</summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("systemd")]
    [InlineData("supervisord")]
    [InlineData("runit")]
    [InlineData("launchd")]
    public void Process_manager_formats_match_their_snapshots(string format)
    {
        var files = Exporters.Export(format, Fixtures.Request());

        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Snapshot.Match(format, files.Value);
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("compose")]
    public void Container_formats_match_their_snapshots(string format)
    {
        var files = Exporters.Export(format, Fixtures.Request(image: "registry.example/myapp:1.4", user: null));

        Assert.True(files.Ok, string.Join("\n", files.Errors));
        Snapshot.Match(format, files.Value);
    }

    [Fact]
    public void Container_formats_with_user_root_and_listen_types_match_their_snapshots()
    {
        var request = Fixtures.Request(image: "registry.example/myapp:1.4", user: "1000", listen: ["web", "worker"],
            env: new Dictionary<string, string>(), root: "/app", rootGiven: true);

        Snapshot.Match("kubernetes-options", Exporters.Export("kubernetes", request).Value);
        Snapshot.Match("compose-options", Exporters.Export("compose", request).Value);
    }

    [Theory]
    [InlineData("systemd")]
    [InlineData("supervisord")]
    [InlineData("runit")]
    [InlineData("launchd")]
    [InlineData("kubernetes")]
    [InlineData("compose")]
    public void Exporting_twice_gives_the_same_bytes(string format)
    {
        var first = Exporters.Export(format, Fixtures.Request(image: "img", user: null)).Value;
        var second = Exporters.Export(format, Fixtures.Request(image: "img", user: null)).Value;

        Assert.Equal(first, second);
    }
}
