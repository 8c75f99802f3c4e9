using System.Globalization;
using Drover.Core.Diagnostics;
using Drover.Core.Procfile;

namespace Drover.Core.Formation;

/// <summary>
/// The value of Foreman's <c>-m</c>/<c>--formation</c> flag, e.g. <c>web=2,worker=1</c> or <c>all=3</c>, before it
/// is checked against a Procfile.
/// </summary>
public sealed class FormationSpec
{
    /// <summary>The item name that sets the count of every type not named, as in Foreman.</summary>
    public const string AllName = "all";

    private const string DefaultFlag = "-m";

    // Where each named type appeared in the flag, so Resolve can point at an unknown name.
    private readonly Dictionary<string, int> _columns;

    private FormationSpec(string flag, Dictionary<string, int> counts, int? all, Dictionary<string, int> columns)
    {
        Flag = flag;
        Counts = counts;
        All = all;
        _columns = columns;
    }

    /// <summary>A spec that sets nothing: every type runs once, as without <c>-m</c>.</summary>
    public static FormationSpec Empty { get; } = new(DefaultFlag, [], null, []);

    /// <summary>The flag the spec came from, used as the file name of diagnostics.</summary>
    public string Flag { get; }

    /// <summary>The counts of the types named explicitly (not including <c>all</c>).</summary>
    public IReadOnlyDictionary<string, int> Counts { get; }

    /// <summary>The count from <c>all=N</c> for types not named, or null when not given.</summary>
    public int? All { get; }

    /// <summary>Parses a formation such as <c>web=2, worker=1</c>; null or blank sets nothing.</summary>
    /// <param name="text">The flag's value.</param>
    /// <param name="flag">The flag as the user spelled it (<c>-m</c> or <c>--formation</c>), for diagnostics.</param>
    /// <returns>The spec, or one diagnostic per bad item, located by the item's column.</returns>
    public static Result<FormationSpec> Parse(string? text, string flag = DefaultFlag)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        int? all = null;
        var errors = new List<Diagnostic>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<FormationSpec>.Success(new FormationSpec(flag, counts, all, columns));
        }

        var itemStart = 0;
        while (itemStart <= text.Length)
        {
            var comma = text.IndexOf(',', itemStart);
            var itemEnd = comma < 0 ? text.Length : comma;
            var raw = text[itemStart..itemEnd];
            var column = itemStart + (raw.Length - raw.TrimStart().Length) + 1;
            itemStart = itemEnd + 1;

            var item = raw.Trim();
            if (!TryParseItem(item, flag, column, errors, out var name, out var count))
            {
                continue;
            }

            if (columns.TryGetValue(name, out var first))
            {
                errors.Add(new(flag, 1, column,
                    $"duplicate process type {ProcfileParser.Quote(name)} in {flag} (first given at column {first})"));
                continue;
            }

            columns.Add(name, column);
            if (name == AllName)
            {
                all = count;
            }
            else
            {
                counts.Add(name, count);
            }
        }

        return errors.Count == 0
            ? Result<FormationSpec>.Success(new FormationSpec(flag, counts, all, columns))
            : Result<FormationSpec>.Failure(errors);
    }

    /// <summary>Applies the spec to a Procfile.</summary>
    /// <param name="procfile">The Procfile whose types are counted.</param>
    /// <param name="onlyTypes">
    /// Types named on the command line (<c>drover start web</c>); when not empty, every other type gets 0.
    /// </param>
    /// <param name="settings">
    /// The settings file's <c>disabled</c> (count 0 unless named in the spec or in <paramref name="onlyTypes"/>) and
    /// <c>replicas</c> (the count of a type the spec does not name, instead of 1; <c>all=N</c> wins).
    /// </param>
    /// <returns>
    /// One entry per Procfile type, or an error for each unknown type named in the spec or in
    /// <paramref name="onlyTypes"/>. A type's count is its count in the spec, else <see cref="All"/>, else 1 when
    /// the spec names no type, else 0: Foreman runs <c>-m a=2,c=1</c> without <c>b</c>. A type listed in
    /// <paramref name="onlyTypes"/> defaults to <see cref="All"/> or 1, since the user asked for it by name.
    /// </returns>
    public Result<Formation> Resolve(ProcfileDocument procfile, IReadOnlyList<string> onlyTypes, Settings.SettingsDocument? settings = null)
    {
        settings ??= Settings.SettingsDocument.Empty;
        ArgumentNullException.ThrowIfNull(procfile);
        ArgumentNullException.ThrowIfNull(onlyTypes);
        var errors = new List<Diagnostic>();
        var defined = string.Join(", ", procfile.Types.Select(t => t.Name));
        foreach (var name in Counts.Keys)
        {
            if (procfile.IndexOf(name) < 0)
            {
                errors.Add(new(Flag, 1, _columns[name],
                    $"unknown process type {ProcfileParser.Quote(name)} in {Flag}; the Procfile defines: {defined}"));
            }
        }

        var only = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in onlyTypes)
        {
            if (only.Add(name) && procfile.IndexOf(name) < 0)
            {
                errors.Add(new("command line", 0, 0,
                    $"unknown process type {ProcfileParser.Quote(name)} on the command line; the Procfile defines: {defined}"));
            }
        }

        if (errors.Count > 0)
        {
            return Result<Formation>.Failure(errors);
        }

        bool unnamedRun = only.Count > 0 || Counts.Count == 0;
        var entries = new List<FormationEntry>(procfile.Types.Count);
        for (var i = 0; i < procfile.Types.Count; i++)
        {
            var type = procfile.Types[i];
            var typeSettings = settings.For(type.Name);
            var count = only.Count > 0 && !only.Contains(type.Name) ? 0
                : Counts.TryGetValue(type.Name, out var named) ? named
                : typeSettings.Disabled && !only.Contains(type.Name) ? 0
                : All ?? (unnamedRun ? typeSettings.Replicas ?? 1 : 0);
            entries.Add(new FormationEntry(type, i, count));
        }

        return Result<Formation>.Success(new Formation(procfile, entries));
    }

    private static bool TryParseItem(
        string item, string flag, int column, List<Diagnostic> errors, out string name, out int count)
    {
        name = "";
        count = 0;
        var equals = item.IndexOf('=');
        string? problem = null;
        if (item.Length == 0)
        {
            problem = $"empty item in {flag}; expected TYPE=COUNT items separated by ','";
        }
        else if (equals < 0)
        {
            problem = $"expected TYPE=COUNT but found {ProcfileParser.Quote(item)} (no '=')";
        }
        else
        {
            name = item[..equals].TrimEnd();
            var number = item[(equals + 1)..].TrimStart();
            if (name.Length == 0)
            {
                problem = $"missing process type name before '=' in {ProcfileParser.Quote(item)}";
            }
            else if (number.Length == 0)
            {
                problem = $"missing count after '=' in {ProcfileParser.Quote(item)}";
            }
            else if (number[0] == '-' && number.Length > 1 && number[1..].All(char.IsAsciiDigit))
            {
                problem = $"count {ProcfileParser.Quote(number)} for {ProcfileParser.Quote(name)} is negative; use 0 to disable a type";
            }
            else if (!number.All(char.IsAsciiDigit))
            {
                problem = $"count {ProcfileParser.Quote(number)} for {ProcfileParser.Quote(name)} is not a whole number";
            }
            else if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                problem = $"count {ProcfileParser.Quote(number)} for {ProcfileParser.Quote(name)} is too large";
            }
        }

        if (problem is null)
        {
            return true;
        }

        errors.Add(new(flag, 1, column, problem));
        return false;
    }
}
