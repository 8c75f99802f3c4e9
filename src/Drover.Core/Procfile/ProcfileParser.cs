using System.Text;
using Drover.Core.Diagnostics;

namespace Drover.Core.Procfile;

/// <summary>
/// Reads Procfiles: one <c>name: command</c> per line. Unlike Foreman, which silently skips lines it cannot
/// read, every malformed line is reported, and all of them at once so one edit can fix them all.
/// </summary>
public static class ProcfileParser
{
    // Long or binary lines must not turn a diagnostic into a wall of text, so quoted excerpts are capped.
    private const int MaxQuotedLength = 60;

    /// <summary>Reads and parses the Procfile at <paramref name="path"/>.</summary>
    /// <param name="path">The path as the user gave it; diagnostics name the file this way.</param>
    /// <returns>The document, or diagnostics when the file cannot be read or is malformed.</returns>
    public static Result<ProcfileDocument> Load(string path)
    {
        var text = ReadText(path, "Procfile");
        return text.Ok ? Parse(text.Value, path) : Result<ProcfileDocument>.Failure(text.Errors);
    }

    /// <summary>Parses Procfile text.</summary>
    /// <param name="text">The whole file; CRLF line ends and a leading UTF-8 BOM are accepted.</param>
    /// <param name="file">The name diagnostics use for this text.</param>
    /// <returns>The process types in file order, or every error found.</returns>
    public static Result<ProcfileDocument> Parse(string text, string file)
    {
        var types = new List<ProcessType>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<Diagnostic>();
        var lines = SplitLines(text);

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i];
            var start = SkipBlanks(line, 0);
            if (start == line.Length || line[start] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', start);
            if (colon < 0)
            {
                errors.Add(new(file, lineNumber, start + 1,
                    $"expected 'name: command' but found {Quote(line.Trim())} (no ':')"));
                continue;
            }

            var name = line[start..colon];
            var command = line[(colon + 1)..].Trim();
            var nameIsValid = IsValidName(name);
            if (!nameIsValid)
            {
                errors.Add(new(file, lineNumber, start + 1, name.Length == 0
                    ? "missing process type name before ':'"
                    : $"invalid process type name {Quote(name)}; names may contain only letters A-Z and a-z, digits, '_' and '-'"));
            }

            if (command.Length == 0)
            {
                errors.Add(new(file, lineNumber, colon + 2,
                    $"process type {Quote(name)} has no command after ':'"));
            }

            if (!nameIsValid || command.Length == 0)
            {
                continue;
            }

            if (firstLine.TryGetValue(name, out var first))
            {
                errors.Add(new(file, lineNumber, start + 1,
                    $"duplicate process type '{name}' (first defined on line {first})"));
                continue;
            }

            firstLine.Add(name, lineNumber);
            types.Add(new ProcessType(name, command, lineNumber));
        }

        // An empty Procfile is only worth its own message when nothing else explains why no type was found.
        if (types.Count == 0 && errors.Count == 0)
        {
            errors.Add(new(file, 0, 0, "no process types defined; expected lines like 'web: command'"));
        }

        return errors.Count == 0
            ? Result<ProcfileDocument>.Success(new ProcfileDocument(file, types))
            : Result<ProcfileDocument>.Failure(errors);
    }

    /// <summary>True when <paramref name="name"/> is a valid process type name, <c>[A-Za-z0-9_-]+</c>.</summary>
    internal static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            // ASCII only: names become file names, unit names and environment values (PS=web.1).
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Splits text into lines, dropping a leading BOM and the CR of CRLF so columns count what the user sees.
    /// </summary>
    internal static string[] SplitLines(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].EndsWith('\r'))
            {
                lines[i] = lines[i][..^1];
            }
        }

        return lines;
    }

    /// <summary>The index of the first character at or after <paramref name="index"/> that is not a space or tab.</summary>
    internal static int SkipBlanks(string line, int index)
    {
        while (index < line.Length && (line[index] == ' ' || line[index] == '\t'))
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// Quotes user text for a diagnostic: control characters are escaped so a NUL or an escape sequence cannot
    /// garble the terminal, and long text is cut short.
    /// </summary>
    internal static string Quote(string text)
    {
        var builder = new StringBuilder("'");
        var length = Math.Min(text.Length, MaxQuotedLength);
        if (length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            if (c == '\t')
            {
                builder.Append("\\t");
            }
            else if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4"));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (length < text.Length)
        {
            builder.Append('…');
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>
    /// Reads a whole input file, turning the usual ways that fails into a diagnostic on line 0 of that file.
    /// </summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="what">What the file is, for the message: "Procfile", "env file".</param>
    internal static Result<string> ReadText(string path, string what)
    {
        string? problem;
        try
        {
            // Checked first because reading a directory fails with a misleading "access denied" on Linux.
            if (Directory.Exists(path))
            {
                problem = "it is a directory";
            }
            else
            {
                return Result<string>.Success(File.ReadAllText(path));
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = "no such file";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "permission denied";
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            problem = "the path is not valid";
        }
        catch (IOException ex)
        {
            problem = ex.Message;
        }

        return Result<string>.Failure(new Diagnostic(path, 0, 0, $"cannot read {what}: {problem}"));
    }
}
