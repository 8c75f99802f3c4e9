using System.Globalization;
using System.Text;

namespace Drover.Core.Output;

/// <summary>
/// Builds the <c>HH:MM:SS web.1 | </c> prefix, padded to the widest name, colored per process type on a terminal.
/// Used only by the writer thread; prefixes are cached for the current second. <see cref="Plain"/> is the same
/// rule for lines shown later (`drover logs`, the dashboard).
/// </summary>
public sealed class PrefixFormatter
{
    // Foreman-like palette: one per process type, cycling; bright variants after the first six.
    private static readonly string[] Palette =
    [
        "\e[36m", "\e[33m", "\e[32m", "\e[35m", "\e[34m", "\e[31m",
        "\e[96m", "\e[93m", "\e[92m", "\e[95m", "\e[94m", "\e[91m",
    ];
    private const string Reset = "\e[0m";

    private readonly TimeProvider _time;
    private readonly Dictionary<OutputSource, byte[]> _cache = [];
    private long _cachedSecond = -1;
    private int _nameWidth;

    /// <summary>Creates a formatter.</summary>
    /// <param name="time">The clock for timestamps.</param>
    /// <param name="color">Whether to emit ANSI colors.</param>
    /// <param name="timestamps">Whether to start each prefix with the local time.</param>
    /// <param name="nameWidth">The width names are padded to; at least that of <c>system</c>.</param>
    public PrefixFormatter(TimeProvider time, bool color, bool timestamps, int nameWidth)
    {
        _time = time;
        Color = color;
        Timestamps = timestamps;
        NameWidth = nameWidth;
    }

    /// <summary>Whether ANSI colors are emitted.</summary>
    public bool Color { get; }

    /// <summary>Whether each prefix starts with the time.</summary>
    public bool Timestamps { get; }

    /// <summary>The padded width of names. Changing it (e.g. after scaling up to web.10) takes effect at once.</summary>
    public int NameWidth
    {
        get => _nameWidth;
        set
        {
            _nameWidth = Math.Max(value, Output.NameWidth.Minimum);
            _cache.Clear();
        }
    }

    /// <summary>The prefix bytes for a line from <paramref name="source"/> written now.</summary>
    public byte[] Prefix(OutputSource source)
    {
        if (Timestamps)
        {
            long second = _time.GetUtcNow().ToUnixTimeSeconds();
            if (second != _cachedSecond)
            {
                _cache.Clear();
                _cachedSecond = second;
            }
        }
        if (!_cache.TryGetValue(source, out byte[]? prefix))
        {
            prefix = Encoding.UTF8.GetBytes(Build(source));
            _cache[source] = prefix;
        }
        return prefix;
    }

    /// <summary>
    /// The one prefix rule, without colors: <c>HH:mm:ss web.1  | </c>, the name padded to
    /// <paramref name="nameWidth"/> (at least <see cref="Output.NameWidth.Minimum"/>), the time left out when null.
    /// `drover logs` and the dashboard use it for lines kept in the log; stdout uses it through <see cref="Prefix"/>.
    /// </summary>
    /// <param name="localTime">When the line was written, in local time; null for no time.</param>
    /// <param name="name">Who wrote it (<c>web.1</c>, <c>system</c>).</param>
    /// <param name="nameWidth">The width names are padded to.</param>
    public static string Plain(DateTimeOffset? localTime, string name, int nameWidth) => Text(localTime, name, nameWidth, null);

    private string Build(OutputSource source) =>
        Text(Timestamps ? _time.GetLocalNow() : null, source.Name, _nameWidth, Color ? ColorOf(source) : null);

    private static string Text(DateTimeOffset? localTime, string name, int nameWidth, string? color)
    {
        var sb = new StringBuilder();
        sb.Append(color);
        if (localTime is { } time)
        {
            sb.Append(time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ');
        }
        sb.Append(name.PadRight(Math.Max(nameWidth, Output.NameWidth.Minimum))).Append(" |");
        if (color is not null)
        {
            sb.Append(Reset);
        }
        sb.Append(' ');
        return sb.ToString();
    }

    private static string? ColorOf(OutputSource source) =>
        source.ColorIndex < 0 ? "\e[1m" : Palette[source.ColorIndex % Palette.Length];
}
