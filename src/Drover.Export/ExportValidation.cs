using System.Text.RegularExpressions;
using Drover.Core.Diagnostics;

namespace Drover.Export;

/// <summary>Checks of the input every format shares; each exporter adds the limits of its own format.</summary>
public static partial class ExportValidation
{
    /// <summary>The longest app name: a Kubernetes label value or DNS label, and still short for unit names.</summary>
    public const int MaxAppLength = 63;

    private const int MaxUserLength = 32;

    /// <summary>
    /// Checks an app name: lowercase letters, digits and '-', starting and ending with a letter or digit. The name
    /// becomes part of unit, program, service and object names in every format, so one rule keeps them all valid.
    /// </summary>
    public static Diagnostic? AppName(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Length > MaxAppLength || !AppPattern().IsMatch(app))
        {
            return new Diagnostic("-a", 0, 0,
                $"app name {UserText.Quote(app)} is invalid: use 1 to {MaxAppLength} lowercase letters, digits " +
                "and '-', starting and ending with a letter or digit (e.g. myapp)");
        }
        return null;
    }

    /// <summary>
    /// Checks a user: a POSIX user name (<c>[a-z_][a-z0-9_-]*</c>, at most 32 characters, as Debian's useradd
    /// accepts) or a numeric user id. Anything else would be read differently by each manager, or not at all.
    /// </summary>
    public static Diagnostic? User(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Length > MaxUserLength || !(UserPattern().IsMatch(user) || IsNumericUser(user)))
        {
            return new Diagnostic("-u", 0, 0,
                $"user {UserText.Quote(user)} is invalid: expected a user name (lowercase letters, digits, '_' " +
                $"and '-', starting with a letter or '_', at most {MaxUserLength} characters) or a numeric user id");
        }
        return null;
    }

    /// <summary>True when <paramref name="user"/> is a numeric user id rather than a name.</summary>
    public static bool IsNumericUser(string user) =>
        user.Length > 0 && user.Length <= 10 && user.All(char.IsAsciiDigit) && uint.TryParse(user, out _);

    /// <summary>The checks every format shares: app, user, listening types, and something to run.</summary>
    public static IReadOnlyList<Diagnostic> Common(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<Diagnostic>();
        if (AppName(request.App) is { } app)
        {
            errors.Add(app);
        }
        if (request.User is not null && User(request.User) is { } user)
        {
            errors.Add(user);
        }
        foreach (var type in request.ListenTypes ?? [])
        {
            if (request.Formation.Procfile.IndexOf(type) < 0)
            {
                errors.Add(new Diagnostic("--listen", 0, 0,
                    $"unknown process type {UserText.Quote(type)}; the Procfile defines: " +
                    string.Join(", ", request.Formation.Procfile.Types.Select(t => t.Name))));
            }
        }
        if (request.StopTimeoutSeconds < 0)
        {
            errors.Add(new Diagnostic("-t", 0, 0, "the stop timeout must be 0 or more seconds"));
        }
        if (!request.Running().Any())
        {
            errors.Add(new Diagnostic("-m", 0, 0, "nothing to export: every process type has a count of 0"));
        }
        return errors;
    }

    // \z, not $: '$' also matches before a final newline, and "root\n" is no user.
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AppPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_-]*\\$?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();
}
