using System.Globalization;
using System.Text;
using System.Xml;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;

namespace Drover.Export.Launchd;

/// <summary>
/// launchd (macOS): one property list <c>APP-TYPE.N.plist</c> per instance, for <c>/Library/LaunchDaemons</c>.
/// </summary>
public sealed class LaunchdExporter : IExporter
{
    /// <inheritdoc/>
    public string Format => "launchd";

    /// <inheritdoc/>
    public string Description => "a property list APP-TYPE.N.plist per instance (KeepAlive on failure, ExitTimeOut)";

    /// <inheritdoc/>
    public Result<IReadOnlyList<ExportFile>> Export(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<Diagnostic>();
        if (ExportValidation.IsNumericUser(request.RunAs))
        {
            errors.Add(new Diagnostic("-u", 0, 0, "launchd needs a user name (UserName), not a numeric id"));
        }
        foreach (var (key, value) in request.SortedEnvironment())
        {
            if (!IsXmlText(value))
            {
                errors.Add(new Diagnostic("launchd", 0, 0,
                    $"the value of {key} has a control character that an XML property list cannot hold"));
            }
        }
        if (!IsXmlText(request.WorkingDirectory) || request.Formation.Entries.Any(e => !IsXmlText(e.Type.Command)))
        {
            errors.Add(new Diagnostic("launchd", 0, 0, "the app root or a command has a character XML cannot hold"));
        }
        if (errors.Count > 0)
        {
            return Result<IReadOnlyList<ExportFile>>.Failure(errors);
        }

        var files = new List<ExportFile>();
        foreach (var entry in request.Running())
        {
            for (int k = 1; k <= entry.Count; k++)
            {
                files.Add(Plist(request, entry, k));
            }
        }
        return Result<IReadOnlyList<ExportFile>>.Success(files);
    }

    private static ExportFile Plist(ExportRequest request, FormationEntry entry, int index)
    {
        var instance = new InstanceName(entry.Type.Name, index);
        string label = $"{request.App}-{instance}";
        var env = request.SortedEnvironment()
            .Append(new("PORT", request.Port(entry, index)))
            .Append(new("PS", instance.ToString()))
            .Append(new("DYNO", instance.ToString()))
            .OrderBy(e => e.Key, StringComparer.Ordinal);

        var text = new StringBuilder();
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "\t",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(false),
        };
        using (var sw = new Utf8StringWriter(text))
        using (var xml = XmlWriter.Create(sw, settings))
        {
            xml.WriteStartDocument();
            xml.WriteDocType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null);
            xml.WriteComment($" {request.App} {instance}. Written by `drover export launchd`: export again rather than editing. ");
            xml.WriteStartElement("plist");
            xml.WriteAttributeString("version", "1.0");
            xml.WriteStartElement("dict");
            Key(xml, "Label", label);
            xml.WriteElementString("key", "ProgramArguments");
            xml.WriteStartElement("array");
            xml.WriteElementString("string", PortPrologue.Shell);
            xml.WriteElementString("string", "-c");
            xml.WriteElementString("string", entry.Type.Command);
            xml.WriteEndElement();
            Key(xml, "UserName", request.RunAs);
            Key(xml, "WorkingDirectory", request.WorkingDirectory);
            xml.WriteElementString("key", "EnvironmentVariables");
            xml.WriteStartElement("dict");
            foreach (var (key, value) in env)
            {
                Key(xml, key, value);
            }
            xml.WriteEndElement();
            xml.WriteElementString("key", "RunAtLoad");
            xml.WriteElementString("true", null);
            // Relaunch only after an unsuccessful exit (non-zero or a signal): Drover's on-failure.
            xml.WriteElementString("key", "KeepAlive");
            xml.WriteStartElement("dict");
            xml.WriteElementString("key", "SuccessfulExit");
            xml.WriteElementString("false", null);
            xml.WriteEndElement();
            // Seconds between SIGTERM and SIGKILL; launchd reads 0 as "never", so -t 0 becomes 1.
            xml.WriteElementString("key", "ExitTimeOut");
            xml.WriteElementString("integer", Math.Max(1, request.StopTimeoutSeconds).ToString(CultureInfo.InvariantCulture));
            // launchd has no log stream of its own for a job's output: one file per instance, both streams.
            Key(xml, "StandardOutPath", $"/var/log/{label}.log");
            Key(xml, "StandardErrorPath", $"/var/log/{label}.log");
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        text.Append('\n');
        var mode = request.Environment.Count > 0 ? ExportFile.Private : ExportFile.Public;
        return new ExportFile($"{label}.plist", text.ToString(), mode);
    }

    private static void Key(XmlWriter xml, string key, string value)
    {
        xml.WriteElementString("key", key);
        xml.WriteElementString("string", value);
    }

    // XML 1.0 allows tab, newline and carriage return among the control characters, and no unpaired surrogate.
    private static bool IsXmlText(string text)
    {
        try
        {
            XmlConvert.VerifyXmlChars(text);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    // A StringWriter that declares UTF-8, so the XML declaration says encoding="utf-8" like the file on disk.
    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
