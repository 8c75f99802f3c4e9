using Drover.Core.Formation;
using Drover.Core.Procfile;

namespace Drover.Export.Tests.Support;

/// <summary>Formations to export, built in memory.</summary>
internal static class Fixtures
{
    /// <summary>
    /// web x2, worker x1, clock x0, with commands and values that need quoting in every format: quotes, '$', '%',
    /// a comma, a ' #' and a ' ;' in commands, an empty value, and a name that looks like a secret.
    /// </summary>
    public static ExportRequest Request(
        string? image = null, string? user = "deploy", IReadOnlyList<string>? listen = null,
        IReadOnlyDictionary<string, string>? env = null, string root = "/srv/myapp", bool rootGiven = false,
        string formation = "web=2,worker=1,clock=0")
    {
        var procfile = Procfile(
            ("web", "perl web.pl --greeting \"$GREETING\" 100%"),
            ("worker", "sh worker.sh ; echo 'done' # not a comment"),
            ("clock", "sh -c 'while :; do date; sleep 60; done'"));
        return Request(procfile, formation, env ?? Environment(), image, user, listen, root, rootGiven);
    }

    public static Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["API_KEY"] = "s3cr3t-key",
        ["DATABASE_URL"] = "postgres://app:p%40ss@db/app?sslmode=require&x=$y",
        ["EMPTY"] = "",
        ["GREETING"] = "hello, \"world\" 100% $HOME \\ done",
        ["db_password"] = "hunter2",
    };

    public static ProcfileDocument Procfile(params (string Name, string Command)[] types) =>
        new("Procfile", [.. types.Select((t, i) => new ProcessType(t.Name, t.Command, i + 1))]);

    public static ExportRequest Request(
        ProcfileDocument procfile, string formation, IReadOnlyDictionary<string, string> env,
        string? image = null, string? user = "deploy", IReadOnlyList<string>? listen = null,
        string root = "/srv/myapp", bool rootGiven = false, int timeout = 5, int basePort = 5000, string app = "myapp")
    {
        var spec = FormationSpec.Parse(formation).Value;
        return new ExportRequest(
            app, user, spec.Resolve(procfile, []).Value, new PortPlan(basePort), env, root, rootGiven, timeout, image, listen);
    }
}
