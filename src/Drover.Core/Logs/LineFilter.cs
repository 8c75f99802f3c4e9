using System.Runtime.CompilerServices;
using System.Text;

namespace Drover.Core.Logs;

/// <summary>The per-line test of a search: the instance (in a type's file), the time range, then the pattern over
/// the text decoded from UTF-8.</summary>
internal sealed class LineFilter(LogQuery query, string? instance = null)
{
    private readonly byte[]? _instance = instance is null ? null : Encoding.UTF8.GetBytes(instance);
    private readonly long _since = query.Since?.UtcTicks ?? long.MinValue;
    private readonly long _until = query.Until?.UtcTicks ?? long.MaxValue;
    private char[] _chars = new char[4096];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(ReadOnlySpan<byte> line, out long ticks)
    {
        if (!LogLineFormat.TryParse(line, out ticks, out var name, out var text) || ticks < _since || ticks > _until
            || (_instance is not null && !name.SequenceEqual(_instance)))
        {
            return false;
        }
        if (query.Grep is not { } grep)
        {
            return true;
        }
        if (text.Length > _chars.Length)
        {
            _chars = new char[Math.Max(text.Length, _chars.Length * 2)];
        }
        int n = Encoding.UTF8.GetChars(text, _chars);
        return grep.IsMatch(_chars.AsSpan(0, n));
    }
}
