using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Drover.Dashboard.Access;

/// <summary>A random secret (256 bits, base64url), compared in constant time.</summary>
internal sealed class AccessToken
{
    private readonly byte[] _bytes;

    private AccessToken(string value)
    {
        Value = value;
        _bytes = Encoding.ASCII.GetBytes(value);
    }

    /// <summary>The secret as it goes into URLs, cookies and headers.</summary>
    public string Value { get; }

    /// <summary>A fresh random secret.</summary>
    public static AccessToken Create() => new(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>True when <paramref name="candidate"/> is this secret; the time taken does not depend on where they differ.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _bytes);
}
