using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Drover.Core.Procfile;

namespace Drover.Core.Formation;

/// <summary>One running copy of a process type, written <c>web.1</c> as Foreman's <c>PS</c> and Heroku's <c>DYNO</c>.</summary>
/// <param name="Type">The process type name.</param>
/// <param name="Index">The 1-based instance number within the type.</param>
public readonly record struct InstanceName(string Type, int Index)
{
    /// <summary>Formats as <c>type.index</c>, e.g. <c>web.1</c>.</summary>
    public override string ToString() => $"{Type}.{Index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses <c>type.index</c>, the exact form <see cref="ToString"/> writes: a valid type name, a dot, and a
    /// positive number without sign or leading zeros, so each instance has one spelling.
    /// </summary>
    /// <param name="s">The text to parse, e.g. <c>web.2</c>.</param>
    /// <param name="name">The parsed name, or <c>default</c> when the text is not one.</param>
    /// <returns>True when <paramref name="s"/> is an instance name.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out InstanceName name)
    {
        name = default;
        if (s is null)
        {
            return false;
        }

        var dot = s.LastIndexOf('.');
        if (dot <= 0 || dot == s.Length - 1)
        {
            return false;
        }

        var type = s[..dot];
        var digits = s.AsSpan(dot + 1);
        if (!ProcfileParser.IsValidName(type) || digits[0] == '0')
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        name = new InstanceName(type, index);
        return true;
    }
}
