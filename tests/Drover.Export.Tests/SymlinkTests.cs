using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests;

/// <summary>
/// A symbolic link planted in the output directory can point anywhere (a system file, another folder): export
/// never writes, reads or removes through a link it did not make, and refuses with the link named.
/// </summary>
public sealed class SymlinkTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public SymlinkTests()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Victim, "precious\n");
        Directory.CreateDirectory(VictimDir);
    }

    public void Dispose() => _tmp.Dispose();

    private string Out => _tmp.Combine("out");

    private string Victim => _tmp.Combine("victim");

    private string VictimDir => _tmp.Combine("victim-dir");

    private static ExportFile F(string path, string content) => new(path, content, ExportFile.Public);

    [Fact]
    public void A_link_planted_at_a_staging_name_is_refused_and_its_target_untouched()
    {
        File.CreateSymbolicLink(Path.Combine(Out, "myapp.target" + ExportWriter.TempSuffix), Victim);

        var result = ExportWriter.Write(Out, "myapp", "systemd", [F("myapp.target", "[Unit]\n")]);

        Assert.False(result.Ok);
        Assert.Contains("symbolic link", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(Victim));
        Assert.False(File.Exists(Path.Combine(Out, "myapp.target")));
    }

    [Fact]
    public void A_linked_folder_on_the_way_is_refused_and_nothing_is_written_into_its_target()
    {
        Directory.CreateSymbolicLink(Path.Combine(Out, "myapp-web.1"), VictimDir);

        var result = ExportWriter.Write(Out, "myapp", "runit", [F("myapp-web.1/run", "#!/bin/sh\n")]);

        Assert.False(result.Ok);
        Assert.Equal(Path.Combine(Out, "myapp-web.1"), result.Errors[0].File);
        Assert.Empty(Directory.EnumerateFileSystemEntries(VictimDir));
    }

    [Fact]
    public void A_linked_target_file_is_refused_even_when_its_content_matches()
    {
        ExportWriter.Write(Out, "myapp", "systemd", [F("myapp.target", "precious\n")]);
        File.Delete(Path.Combine(Out, "myapp.target"));
        File.CreateSymbolicLink(Path.Combine(Out, "myapp.target"), Victim);

        var result = ExportWriter.Write(Out, "myapp", "systemd", [F("myapp.target", "new\n")]);

        Assert.False(result.Ok);
        Assert.Equal("precious\n", File.ReadAllText(Victim));
    }

    [Fact]
    public void A_stale_file_replaced_by_a_link_to_an_outside_file_with_the_same_content_is_not_removed()
    {
        ExportWriter.Write(Out, "myapp", "runit", [F("old/run", "precious\n"), F("keep", "k\n")]);
        Directory.Delete(Path.Combine(Out, "old"), recursive: true);
        File.WriteAllText(Path.Combine(VictimDir, "run"), "precious\n");
        Directory.CreateSymbolicLink(Path.Combine(Out, "old"), VictimDir);

        var result = ExportWriter.Write(Out, "myapp", "runit", [F("keep", "k\n")]);

        Assert.False(result.Ok);
        Assert.Equal("precious\n", File.ReadAllText(Path.Combine(VictimDir, "run")));
    }

    [Fact]
    public void A_manifest_that_is_a_link_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(Out, ExportManifest.FileName), Victim);

        var result = ExportWriter.Write(Out, "myapp", "systemd", [F("myapp.target", "[Unit]\n")]);

        Assert.False(result.Ok);
        Assert.Equal("precious\n", File.ReadAllText(Victim));
    }

    [Fact]
    public void A_leftover_staged_file_that_is_no_link_is_replaced()
    {
        File.WriteAllText(Path.Combine(Out, "myapp.target" + ExportWriter.TempSuffix), "half\n");

        var result = ExportWriter.Write(Out, "myapp", "systemd", [F("myapp.target", "[Unit]\n")]);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal("[Unit]\n", File.ReadAllText(Path.Combine(Out, "myapp.target")));
        Assert.False(File.Exists(Path.Combine(Out, "myapp.target" + ExportWriter.TempSuffix)));
    }
}
