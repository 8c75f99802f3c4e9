using System.Xml;
using Drover.Export.Tests.Support;

namespace Drover.Export.Tests;

/// <summary>launchd cannot run here; the plists are checked as XML and read back as property lists.</summary>
public sealed class LaunchdTests
{
    private static XmlDocument Parse(string content)
    {
        var doc = new XmlDocument();
        using var reader = XmlReader.Create(new StringReader(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        doc.Load(reader);
        return doc;
    }

    // A plist <dict> as key -> value element.
    private static Dictionary<string, XmlElement> Dict(XmlElement dict)
    {
        var elements = dict.ChildNodes.OfType<XmlElement>().ToList();
        return Enumerable.Range(0, elements.Count / 2).ToDictionary(i => elements[2 * i].InnerText, i => elements[(2 * i) + 1]);
    }

    [Fact]
    public void One_well_formed_plist_per_instance_with_its_own_port()
    {
        var env = new Dictionary<string, string> { ["MARKUP"] = "<b>&amp;</b> \"quoted\"\nsecond line" };
        var files = Exporters.Export("launchd", Fixtures.Request(env: env)).Value;

        Assert.Equal(["myapp-web.1.plist", "myapp-web.2.plist", "myapp-worker.1.plist"], files.Select(f => f.Path));
        var web2 = Dict((XmlElement)Parse(files[1].Content).SelectSingleNode("/plist/dict")!);
        Assert.Equal("myapp-web.2", web2["Label"].InnerText);
        Assert.Equal(["/bin/sh", "-c", "perl web.pl --greeting \"$GREETING\" 100%"],
            web2["ProgramArguments"].ChildNodes.OfType<XmlElement>().Select(e => e.InnerText));
        var environment = Dict(web2["EnvironmentVariables"]);
        Assert.Equal("5001", environment["PORT"].InnerText);
        Assert.Equal("web.2", environment["PS"].InnerText);
        Assert.Equal(env["MARKUP"], environment["MARKUP"].InnerText);
        Assert.Equal("false", Dict(web2["KeepAlive"])["SuccessfulExit"].Name);
        Assert.Equal("5", web2["ExitTimeOut"].InnerText);
    }
}
