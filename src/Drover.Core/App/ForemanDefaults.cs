using System.Globalization;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;
using Drover.Core.Procfile;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Drover.Core.App;

/// <summary>
/// Foreman's <c>.foreman</c> file (its man page, DEFAULT OPTIONS): YAML defaults for the command-line flags, read
/// from the current directory. Flags given on the command line win. Drover reads the keys <c>procfile</c>,
/// <c>env</c>, <c>root</c>, <c>formation</c>, <c>port</c> and <c>timeout</c>, and Drover's own <c>log_dir</c>
/// (so that <c>drover logs</c> in the app folder finds the files with no Drover running); other keys Foreman knows (for its
/// exporters, say) are reported as warnings and ignored.
/// </summary>
public sealed record ForemanDefaults
{
    /// <summary>The file name, in the current directory.</summary>
    public const string FileName = ".foreman";

    private static readonly string[] Keys = ["procfile", "env", "root", "formation", "port", "timeout", "log_dir", "settings"];

    /// <summary>Nothing set: what an absent file gives.</summary>
    public static ForemanDefaults None { get; } = new();

    /// <summary>The Procfile path (<c>-f</c>).</summary>
    public string? Procfile { get; init; }

    /// <summary>Env files, comma-separated as in Foreman (<c>-e</c>).</summary>
    public string? Env { get; init; }

    /// <summary>The app root (<c>-d</c>).</summary>
    public string? Root { get; init; }

    /// <summary>The formation (<c>-m</c>), e.g. <c>alpha=0,bravo=1</c>.</summary>
    public string? Formation { get; init; }

    /// <summary>The base port (<c>-p</c>).</summary>
    public int? Port { get; init; }

    /// <summary>The stop timeout in seconds (<c>-t</c>).</summary>
    public int? Timeout { get; init; }

    /// <summary>The log directory (<c>--log-dir</c>), relative to the current directory; a Drover addition.</summary>
    public string? LogDir { get; init; }

    /// <summary>The settings file (<c>--settings</c>), relative to the current directory; a Drover addition.</summary>
    public string? Settings { get; init; }

    /// <summary>Keys that were ignored, as warnings naming file and line.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>
    /// <paramref name="settings"/> with what the command line left unset taken from here: <c>-f</c>, <c>-d</c>, and
    /// <c>-e</c> when no env file was named.
    /// </summary>
    public AppSettings Fill(AppSettings settings) => new(
        settings.Procfile ?? Procfile,
        settings.EnvFiles.Count > 0 || Env is null ? settings.EnvFiles : [Env],
        settings.Root ?? Root)
    {
        SettingsFile = settings.SettingsFile ?? Settings,
    };

    /// <summary>Reads <c>.foreman</c> in <paramref name="directory"/>; <see cref="None"/> when there is none.</summary>
    public static Result<ForemanDefaults> Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Result<ForemanDefaults>.Success(None);
        }
        var text = ProcfileParser.ReadText(path, "defaults file");
        return text.Ok ? Parse(text.Value, path) : Result<ForemanDefaults>.Failure(text.Errors);
    }

    /// <summary>Parses the text of a <c>.foreman</c> file: a YAML mapping of keys to single values, or empty.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">The name diagnostics use.</param>
    public static Result<ForemanDefaults> Parse(string text, string file)
    {
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        var values = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        try
        {
            // YamlDotNet's event parser: no object mapping, so nothing for Native AOT to lose.
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return Result<ForemanDefaults>.Success(None);
            }
            parser.Consume<DocumentStart>();
            if (parser.Accept<Scalar>(out var only) && only.Value.Length == 0)
            {
                return Result<ForemanDefaults>.Success(None); // a document of comments only
            }
            if (!parser.TryConsume<MappingStart>(out _))
            {
                var at = parser.Current!.Start;
                return Result<ForemanDefaults>.Failure(new Diagnostic(file, (int)at.Line, (int)at.Column,
                    "expected 'key: value' lines (a YAML mapping), e.g. 'port: 5000'"));
            }
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current!.Start;
                if (!parser.TryConsume<Scalar>(out var key))
                {
                    errors.Add(new(file, (int)keyStart.Line, (int)keyStart.Column, "expected a key such as 'port'"));
                    parser.SkipThisAndNestedEvents();
                    parser.SkipThisAndNestedEvents();
                    continue;
                }
                if (!parser.TryConsume<Scalar>(out var value))
                {
                    var at = parser.Current!.Start;
                    errors.Add(new(file, (int)at.Line, (int)at.Column, $"'{key.Value}' must have a single value, not a list or a mapping"));
                    parser.SkipThisAndNestedEvents();
                    continue;
                }
                if (!Keys.Contains(key.Value))
                {
                    warnings.Add(new(file, (int)key.Start.Line, (int)key.Start.Column,
                        $"warning: '{key.Value}' is ignored; Drover reads {string.Join(", ", Keys)}"));
                    continue;
                }
                values[key.Value] = value;
            }
        }
        catch (YamlException e)
        {
            return Result<ForemanDefaults>.Failure(new Diagnostic(file, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {e.Message}"));
        }

        string? Text(string key) => values.TryGetValue(key, out var v) ? v.Value : null;
        int? Number(string key, int min, int max)
        {
            if (!values.TryGetValue(key, out var v))
            {
                return null;
            }
            if (int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max)
            {
                return n;
            }
            errors.Add(new(file, (int)v.Start.Line, (int)v.Start.Column, $"{key}: expected a whole number from {min} to {max}, not '{v.Value}'"));
            return null;
        }

        var defaults = new ForemanDefaults
        {
            Procfile = Text("procfile"),
            Env = Text("env"),
            Root = Text("root"),
            Formation = Text("formation"),
            Port = Number("port", 1, 65535),
            Timeout = Number("timeout", 0, 86400),
            LogDir = Text("log_dir"),
            Settings = Text("settings"),
            Warnings = warnings,
        };
        if (values.TryGetValue("formation", out var formation))
        {
            foreach (var e in FormationSpec.Parse(formation.Value, "formation").Errors)
            {
                errors.Add(new(file, (int)formation.Start.Line, (int)formation.Start.Column + Math.Max(0, e.Column - 1), e.Message));
            }
        }
        return errors.Count == 0 ? Result<ForemanDefaults>.Success(defaults) : Result<ForemanDefaults>.Failure(errors);
    }
}
