using System.Globalization;

namespace Drover.Core.Logs;

/// <summary>Sizes as flags take them: <c>500000</c>, <c>512K</c>, <c>10M</c>, <c>2G</c> (binary multiples; a trailing <c>B</c> or <c>iB</c> allowed).</summary>
public static class ByteSize
{
    /// <summary>The number of bytes, or null when <paramref name="text"/> is not a size.</summary>
    public static long? Parse(string text)
    {
        string t = text.Trim().ToUpperInvariant();
        if (t.EndsWith("IB", StringComparison.Ordinal))
        {
            t = t[..^2];
        }
        else if (t.EndsWith('B'))
        {
            t = t[..^1];
        }
        int shift = t.Length == 0 ? 0 : t[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        if (shift > 0)
        {
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) || n <= 0 || n * (1L << shift) > long.MaxValue / 2)
        {
            return null;
        }
        return (long)(n * (1L << shift));
    }
}
