using Drover.Core.App;
using Drover.Core.Tests.Support;

namespace Drover.Core.Tests.App;

public sealed class AppLoaderTests : IDisposable
{
    private const string TwoTypes = "web: run web\nworker: run worker\n";
    private static readonly Dictionary<string, string> NoOsEnvironment = [];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static AppSettings Settings(string? procfile = null, string? root = null, params string[] envFiles) =>
        new(procfile, envFiles, root);

    private LoadedApp LoadOk(AppSettings settings, IReadOnlyDictionary<string, string>? os = null, string? cwd = null)
    {
        var result = AppLoader.Load(settings, cwd ?? _dir.Path, os ?? NoOsEnvironment);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Value;
    }

    private IReadOnlyList<Diagnostics.Diagnostic> LoadErrors(AppSettings settings)
    {
        var result = AppLoader.Load(settings, _dir.Path, NoOsEnvironment);
        Assert.False(result.Ok);
        return result.Errors;
    }

    [Fact]
    public void The_default_Procfile_is_the_one_in_the_current_directory_and_the_root_is_its_folder()
    {
        _dir.Write("Procfile", TwoTypes);

        var app = LoadOk(Settings());

        Assert.Equal(["web", "worker"], app.Procfile.Types.Select(t => t.Name));
        Assert.Equal(_dir.Path, app.Root);
        Assert.Empty(app.EnvFiles);
        Assert.Empty(app.FileEnvironment);
    }

    [Fact]
    public void The_root_defaults_to_the_folder_of_the_Procfile_given()
    {
        _dir.Write("deploy/app/Procfile", TwoTypes);

        var app = LoadOk(Settings(procfile: "deploy/app/Procfile"));

        Assert.Equal(_dir.Combine("deploy/app"), app.Root);
    }

    [Fact]
    public void An_explicit_root_is_resolved_from_the_current_directory()
    {
        _dir.Write("Procfile", TwoTypes);
        string srv = _dir.CreateFolder("srv");

        var app = LoadOk(Settings(root: "srv"));

        Assert.Equal(srv, app.Root);
    }

    [Fact]
    public void A_root_that_is_not_a_directory_is_an_error()
    {
        _dir.Write("Procfile", TwoTypes);

        var error = Assert.Single(LoadErrors(Settings(root: "nowhere")));

        Assert.Equal(_dir.Combine("nowhere"), error.File);
        Assert.Equal("app root is not a directory", error.Message);
    }

    [Fact]
    public void A_missing_Procfile_is_an_error()
    {
        var error = Assert.Single(LoadErrors(Settings()));

        Assert.Equal(_dir.Combine("Procfile"), error.File);
        Assert.Equal("cannot read Procfile: no such file", error.Message);
    }

    [Fact]
    public void The_default_env_file_is_read_from_the_root()
    {
        _dir.Write("app/Procfile", TwoTypes);
        _dir.Write("app/.env", "FROM_ROOT=1\n");
        _dir.Write(".env", "FROM_CWD=1\n");

        var app = LoadOk(Settings(procfile: "app/Procfile"));

        Assert.Equal([_dir.Combine("app/.env")], app.EnvFiles);
        Assert.Equal("1", app.Environment["FROM_ROOT"]);
        Assert.False(app.Environment.ContainsKey("FROM_CWD"));
    }

    [Fact]
    public void Without_a_default_env_file_there_is_no_error()
    {
        _dir.Write("Procfile", TwoTypes);

        var app = LoadOk(Settings(), new Dictionary<string, string> { ["HOME"] = "/home/me" });

        Assert.Empty(app.EnvFiles);
        Assert.Equal(new Dictionary<string, string> { ["HOME"] = "/home/me" }, app.Environment);
    }

    [Fact]
    public void An_explicit_env_file_that_is_missing_is_an_error()
    {
        _dir.Write("Procfile", TwoTypes);

        var error = Assert.Single(LoadErrors(Settings(envFiles: "missing.env")));

        Assert.Equal(_dir.Combine("missing.env"), error.File);
        Assert.Equal("cannot read env file: no such file", error.Message);
    }

    [Fact]
    public void An_explicit_env_file_replaces_the_default_one()
    {
        _dir.Write("Procfile", TwoTypes);
        _dir.Write(".env", "A=default\nONLY_DEFAULT=1\n");
        _dir.Write("other.env", "A=other\n");

        var app = LoadOk(Settings(envFiles: "other.env"));

        Assert.Equal([_dir.Combine("other.env")], app.EnvFiles);
        Assert.Equal("other", app.Environment["A"]);
        Assert.False(app.Environment.ContainsKey("ONLY_DEFAULT"));
    }

    [Theory]
    [InlineData("a.env,b.env")]
    [InlineData(" a.env , b.env ")]
    [InlineData("a.env,,b.env")]
    public void Env_files_may_be_given_comma_separated(string flag)
    {
        _dir.Write("Procfile", TwoTypes);
        _dir.Write("a.env", "A=1\n");
        _dir.Write("b.env", "B=2\n");

        var app = LoadOk(Settings(envFiles: flag));

        Assert.Equal([_dir.Combine("a.env"), _dir.Combine("b.env")], app.EnvFiles);
        Assert.Equal("1", app.Environment["A"]);
        Assert.Equal("2", app.Environment["B"]);
    }

    [Fact]
    public void Several_flags_and_comma_lists_combine_in_order()
    {
        _dir.Write("Procfile", TwoTypes);
        _dir.Write("a.env", "X=a\n");
        _dir.Write("b.env", "X=b\n");
        _dir.Write("c.env", "X=c\n");

        var app = LoadOk(Settings(null, null, "a.env,b.env", "c.env"));

        Assert.Equal([_dir.Combine("a.env"), _dir.Combine("b.env"), _dir.Combine("c.env")], app.EnvFiles);
        Assert.Equal("c", app.Environment["X"]);
    }

    [Fact]
    public void A_later_env_file_wins_and_may_refer_to_an_earlier_one()
    {
        _dir.Write("Procfile", TwoTypes);
        _dir.Write("a.env", "HOST=db.local\nMODE=dev\n");
        _dir.Write("b.env", "MODE=test\nURL=\"postgres://${HOST}/app\"\n");

        var app = LoadOk(Settings(envFiles: "a.env,b.env"));

        Assert.Equal("test", app.Environment["MODE"]);
        Assert.Equal("postgres://db.local/app", app.Environment["URL"]);
        Assert.Equal("db.local", app.Environment["HOST"]);
    }

    [Fact]
    public void An_earlier_env_file_is_preferred_over_the_OS_when_expanding()
    {
        _dir.Write("Procfile", TwoTypes);
        _dir.Write("a.env", "HOST=from-file\n");
        _dir.Write("b.env", "URL=\"${HOST}/app\"\n");

        var app = LoadOk(Settings(envFiles: "a.env,b.env"), new Dictionary<string, string> { ["HOST"] = "from-os" });

        Assert.Equal("from-file/app", app.Environment["URL"]);
    }

    [Fact]
    public void Env_files_override_the_OS_environment_and_may_refer_to_it()
    {
        _dir.Write("Procfile", TwoTypes);
        _dir.Write(".env", "X=fromenv\nBIN=\"${HOME}/bin\"\n");
        var os = new Dictionary<string, string> { ["X"] = "fromos", ["HOME"] = "/home/me", ["ONLY_OS"] = "os" };

        var app = LoadOk(Settings(), os);

        Assert.Equal("fromenv", app.Environment["X"]);
        Assert.Equal("/home/me/bin", app.Environment["BIN"]);
        Assert.Equal("os", app.Environment["ONLY_OS"]);
        Assert.Equal(new Dictionary<string, string> { ["X"] = "fromenv", ["BIN"] = "/home/me/bin" }, app.FileEnvironment);
        Assert.Equal("fromos", os["X"]);
    }

    [Fact]
    public void Every_error_of_every_file_is_reported_at_once()
    {
        _dir.Write("Procfile", "web: run web\nthis line has no colon\n");
        _dir.Write("bad.env", "=value\nGOOD=1\n1BAD=x\n");

        var errors = LoadErrors(Settings(null, null, "missing.env,bad.env"));

        Assert.Equal(
            [
                (_dir.Combine("Procfile"), 2),
                (_dir.Combine("missing.env"), 0),
                (_dir.Combine("bad.env"), 1),
                (_dir.Combine("bad.env"), 3),
            ],
            errors.Select(e => (e.File, e.Line)));
    }

    [Fact]
    public void A_missing_Procfile_and_a_missing_root_are_both_reported()
    {
        var errors = LoadErrors(Settings(procfile: "nope/Procfile"));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message == "app root is not a directory");
        Assert.Contains(errors, e => e.Message == "cannot read Procfile: no such file");
    }
}
