using System.Net;

namespace Drover.Dashboard.Tests;

/// <summary>What --dashboard accepts as an address.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("7070", "127.0.0.1:7070")]
    [InlineData("0", "127.0.0.1:0")]
    [InlineData("127.0.0.1:7070", "127.0.0.1:7070")]
    [InlineData("0.0.0.0:7070", "0.0.0.0:7070")]
    [InlineData("localhost:7070", "127.0.0.1:7070")]
    [InlineData("[::1]:7070", "[::1]:7070")]
    [InlineData("[::]:0", "[::]:0")]
    public void Accepts_ports_and_addresses_with_ports(string text, string expected)
    {
        Assert.True(ListenAddress.TryParse(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("web")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("70700")]
    [InlineData("example.com:80")]
    [InlineData("-1")]
    public void Refuses_anything_else(string text) => Assert.False(ListenAddress.TryParse(text, out _));

    [Fact]
    public void A_wildcard_address_is_reached_through_loopback()
    {
        Assert.Equal("127.0.0.1", ListenAddress.UrlHost(new IPEndPoint(IPAddress.Any, 1)));
        Assert.Equal("[::1]", ListenAddress.UrlHost(new IPEndPoint(IPAddress.IPv6Any, 1)));
        Assert.False(ListenAddress.IsLoopback(new IPEndPoint(IPAddress.Any, 1)));
        Assert.True(ListenAddress.IsLoopback(ListenAddress.Default));
    }
}
