using Drover.Cli.Tests.Support;

namespace Drover.Cli.Tests;

/// <summary>`drover export` as a user runs it; what the files do under the real managers is tested in Drover.Export.Tests.</summary>
public sealed class ExportCommandTests
{
    [Fact]
    public async Task Exporting_writes_the_files_and_re_exporting_replaces_only_drovers_own()
    {
        using var app = TempApp.Create()
            .WithProcfile("web: exec sleep 1000", "worker: exec sleep 1000")
            .WithEnv("SECRET_TOKEN=do-not-print-me");
        string outDir = app.PathOf("out");

        var first = await DroverProcess.RunAsync(app.Root, "export", "systemd", outDir, "-a", "shop", "-m", "web=2,worker=1");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(Path.Combine(outDir, "shop.target")));
        Assert.True(File.Exists(Path.Combine(outDir, "shop-web@.service")));
        Assert.DoesNotContain("do-not-print-me", first.Stdout + first.Stderr);
        Assert.Contains("do-not-print-me", File.ReadAllText(Path.Combine(outDir, "shop.env")));
        Assert.DoesNotContain("do-not-print-me", File.ReadAllText(Path.Combine(outDir, "shop-web@.service")));

        app.WithFile("out/notes.txt", "mine, not drover's");
        app.WithProcfile("web: exec sleep 1000");
        var again = await DroverProcess.RunAsync(app.Root, "export", "systemd", outDir, "-a", "shop");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(File.Exists(Path.Combine(outDir, "shop-worker@.service")));
        Assert.Equal("mine, not drover's\n", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
    }

    [Fact]
    public async Task A_file_drover_did_not_write_is_never_overwritten()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000").WithFile("out/shop.conf", "hand-written");

        var result = await DroverProcess.RunAsync(app.Root, "export", "supervisord", app.PathOf("out"), "-a", "shop");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("shop.conf", result.Stderr);
        Assert.Equal("hand-written\n", File.ReadAllText(app.PathOf("out/shop.conf")));
        Assert.False(File.Exists(app.PathOf("out/.drover-export")));
    }

    [Theory]
    [InlineData("systemd", "-a", "Bad Name!")]
    [InlineData("nosuchformat", "-a", "shop")]
    [InlineData("kubernetes", "-a", "shop")]
    [InlineData("systemd", "-a", "myapp\n")]
    [InlineData("supervisord", "-a", "myapp\n")]
    [InlineData("systemd", "-u", "root\n")]
    [InlineData("runit", "-u", "root\n")]
    [InlineData("supervisord", "-u", "root\n")]
    [InlineData("launchd", "-u", "root\n")]
    public async Task Bad_input_is_a_clear_error_and_writes_nothing(string format, string flag, string value)
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000");

        var result = await DroverProcess.RunAsync(app.Root, "export", format, app.PathOf("out"), flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("drover: ", result.Stderr);
        Assert.False(Directory.Exists(app.PathOf("out")) && Directory.EnumerateFileSystemEntries(app.PathOf("out")).Any());
    }

    [Fact]
    public async Task A_symbolic_link_planted_where_export_writes_is_refused_with_exit_2_and_its_target_kept()
    {
        using var app = TempApp.Create().WithProcfile("web: exec sleep 1000").WithFile("victim", "precious").WithFolder("out");
        File.CreateSymbolicLink(app.PathOf("out/myapp.target.drover-tmp"), app.PathOf("victim"));

        var result = await DroverProcess.RunAsync(app.Root, "export", "systemd", app.PathOf("out"), "-a", "myapp", "-u", "root");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("symbolic link", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(app.PathOf("victim")));
    }
}
