using Drover.Export.Tests.Support;
using Drover.Export.Writing;

namespace Drover.Export.Tests;

/// <summary>The output directory: atomic writes, the manifest, and never touching a file Drover did not write.</summary>
public sealed class WriterTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Out => _tmp.Combine("out");

    private static ExportFile F(string path, string content, UnixFileMode mode = ExportFile.Public) => new(path, content, mode);

    private Dictionary<string, string> Snapshot() => Directory.Exists(Out)
        ? Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(Out, p), File.ReadAllText)
        : [];

    [Fact]
    public void Writes_the_files_with_their_modes_and_records_them_in_the_manifest()
    {
        var report = ExportWriter.Write(Out, "myapp", "runit", [
            F("a.txt", "A\n"),
            F("svc/run", "#!/bin/sh\n", ExportFile.Executable),
            F("svc/env/SECRET", "x\n", ExportFile.Private),
        ]);

        Assert.True(report.Ok, string.Join("\n", report.Errors));
        Assert.Equal(["a.txt", "svc/run", "svc/env/SECRET"], report.Value.Written);
        Assert.Equal("A\n", File.ReadAllText(Path.Combine(Out, "a.txt")));
        Assert.Equal(ExportFile.Executable, File.GetUnixFileMode(Path.Combine(Out, "svc/run")));
        Assert.Equal(ExportFile.Private, File.GetUnixFileMode(Path.Combine(Out, "svc/env/SECRET")));
        var manifest = ExportManifest.Read(Out).Value.Entries;
        Assert.Equal(["a.txt", "svc/run", "svc/env/SECRET"], manifest.Select(e => e.Path));
        Assert.All(manifest, e => Assert.Equal(("myapp", "runit"), (e.App, e.Format)));
        Assert.DoesNotContain(Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories),
            p => p.EndsWith(ExportWriter.TempSuffix, StringComparison.Ordinal));
    }

    [Fact]
    public void Exporting_again_replaces_its_own_files_and_removes_those_no_longer_produced()
    {
        ExportWriter.Write(Out, "myapp", "runit", [F("keep", "1\n"), F("old/run", "old\n"), F("old/env/X", "x\n")]);

        var report = ExportWriter.Write(Out, "myapp", "runit", [F("keep", "2\n"), F("new", "n\n")]);

        Assert.True(report.Ok, string.Join("\n", report.Errors));
        Assert.Equal(["old/run", "old/env/X"], report.Value.Removed);
        Assert.Equal(new Dictionary<string, string>
        {
            ["keep"] = "2\n",
            ["new"] = "n\n",
            [ExportManifest.FileName] = File.ReadAllText(Path.Combine(Out, ExportManifest.FileName)),
        }, Snapshot());
        Assert.False(Directory.Exists(Path.Combine(Out, "old")), "the emptied directory is removed");
        Assert.Equal(["keep", "new"], ExportManifest.Read(Out).Value.Entries.Select(e => e.Path));
    }

    [Fact]
    public void A_directory_that_still_holds_files_it_did_not_write_is_kept()
    {
        ExportWriter.Write(Out, "myapp", "runit", [F("svc/run", "r\n")]);
        File.WriteAllText(Path.Combine(Out, "svc", "lock"), "runit's own file");

        var report = ExportWriter.Write(Out, "myapp", "runit", [F("other/run", "r\n")]);

        Assert.True(report.Ok);
        Assert.False(File.Exists(Path.Combine(Out, "svc", "run")));
        Assert.Equal("runit's own file", File.ReadAllText(Path.Combine(Out, "svc", "lock")));
    }

    [Fact]
    public void Refuses_to_overwrite_a_file_it_did_not_write_and_writes_nothing()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "b.service"), "mine, not drover's");
        var before = Snapshot();

        var report = ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a\n"), F("b.service", "b\n")]);

        var error = Assert.Single(report.Errors);
        Assert.Contains("b.service", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not written by drover export", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Refuses_to_overwrite_its_own_file_once_someone_changed_it()
    {
        ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a\n")]);
        File.WriteAllText(Path.Combine(Out, "a.target"), "edited by hand\n");
        var before = Snapshot();

        var report = ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a2\n")]);

        Assert.Contains("changed since", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Refuses_to_remove_its_own_earlier_file_once_someone_changed_it()
    {
        ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a\n"), F("gone.service", "g\n")]);
        File.WriteAllText(Path.Combine(Out, "gone.service"), "edited\n");
        var before = Snapshot();

        var report = ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a\n")]);

        Assert.Contains("changed since", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Two_apps_share_a_directory_and_neither_touches_the_others_files()
    {
        ExportWriter.Write(Out, "one", "systemd", [F("one.target", "1\n")]);
        ExportWriter.Write(Out, "two", "systemd", [F("two.target", "2\n")]);

        var again = ExportWriter.Write(Out, "one", "systemd", [F("one-web@.service", "w\n")]);
        var clash = ExportWriter.Write(Out, "two", "systemd", [F("one-web@.service", "x\n")]);

        Assert.True(again.Ok);
        Assert.Equal(["one.target"], again.Value.Removed);
        Assert.Equal("2\n", File.ReadAllText(Path.Combine(Out, "two.target")));
        Assert.Contains("for app 'one'", Assert.Single(clash.Errors).Message, StringComparison.Ordinal);
        Assert.Equal("w\n", File.ReadAllText(Path.Combine(Out, "one-web@.service")));
    }

    [Fact]
    public void Refuses_when_a_file_is_where_a_directory_must_go()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "svc"), "a file");

        var report = ExportWriter.Write(Out, "myapp", "runit", [F("svc/run", "r\n")]);

        Assert.Contains("in the way", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
        Assert.Equal("a file", File.ReadAllText(Path.Combine(Out, "svc")));
    }

    [Fact]
    public void Refuses_a_dangling_symbolic_link_it_did_not_write()
    {
        Directory.CreateDirectory(Out);
        File.CreateSymbolicLink(Path.Combine(Out, "a.target"), "/nonexistent/target");

        var report = ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a\n")]);

        Assert.False(report.Ok);
        Assert.NotNull(new FileInfo(Path.Combine(Out, "a.target")).LinkTarget);
    }

    [Fact]
    public void A_manifest_it_cannot_read_stops_the_export()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, ExportManifest.FileName), "myapp\tsystemd\tnot-a-hash\t../../etc/passwd\n");

        var report = ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "a\n")]);

        Assert.Contains("not a line drover export wrote", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "a.target")));
    }

    [Fact]
    public void A_failure_while_writing_leaves_no_file_behind_and_the_directory_as_it_was()
    {
        ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "old\n")]);
        var before = Snapshot();
        // A name longer than the file system allows fails after the first file was staged.
        string tooLong = new('x', 300);

        Assert.ThrowsAny<IOException>(() => ExportWriter.Write(Out, "myapp", "systemd", [F("a.target", "new\n"), F(tooLong, "x\n")]));

        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../escape")]
    [InlineData("a/./b")]
    [InlineData(ExportManifest.FileName)]
    [InlineData("x" + ExportWriter.TempSuffix)]
    public void An_exporter_cannot_write_outside_the_directory_or_over_the_manifest(string path)
    {
        Assert.Throws<ArgumentException>(() => ExportWriter.Write(Out, "myapp", "systemd", [F(path, "x")]));
        Assert.False(Directory.Exists(Out));
    }
}
