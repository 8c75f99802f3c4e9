using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Drover.Dashboard;

/// <summary>Where the dashboard listens: <c>PORT</c>, <c>ADDR:PORT</c>, <c>[V6ADDR]:PORT</c> or <c>localhost:PORT</c>.</summary>
public static class ListenAddress
{
    /// <summary>The default: loopback, a port the kernel picks.</summary>
    public static IPEndPoint Default => new(IPAddress.Loopback, 0);

    /// <summary>Parses <paramref name="text"/>; a bare port means loopback.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bare))
        {
            endpoint = bare <= IPEndPoint.MaxPort ? new IPEndPoint(IPAddress.Loopback, bare) : null;
            return endpoint is not null;
        }
        const string localhost = "localhost:";
        if (text.StartsWith(localhost, StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1:" + text[localhost.Length..];
        }
        // IPEndPoint.TryParse accepts a missing port (port 0); the dashboard needs one said explicitly.
        bool hasPort = text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
        if (!hasPort || !IPEndPoint.TryParse(text, out var parsed))
        {
            return false;
        }
        endpoint = parsed;
        return true;
    }

    /// <summary>The host part of a URL that reaches <paramref name="endpoint"/> from this machine.</summary>
    public static string UrlHost(IPEndPoint endpoint)
    {
        var address = endpoint.Address;
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    /// <summary>True when only this machine can reach <paramref name="endpoint"/>.</summary>
    public static bool IsLoopback(IPEndPoint endpoint) => IPAddress.IsLoopback(endpoint.Address);
}
