using System.CommandLine;
using Drover.Core.App;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;

namespace Drover.Cli.Commands;

/// <summary>-m and -p, and the optional list of types to run, shared by start and check.</summary>
internal sealed class FormationOptions
{
    public Option<string?> Formation { get; } = new("--formation", "-m")
    {
        Description = "how many of each type to run, e.g. web=2,worker=1; all=N sets the default; 0 disables a type",
        HelpName = "spec",
    };

    public Option<int?> Port { get; } = new("--port", "-p")
    {
        Description = "base port (default: $PORT, else 5000); type i (0-based, Procfile order), instance k gets base+100*i+(k-1)",
    };

    public Argument<string[]> Types { get; } = new("types")
    {
        Description = "only run these process types",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Formation);
        command.Options.Add(Port);
        command.Arguments.Add(Types);
    }

    /// <summary>Resolves the formation and port plan, with every problem found; -m and -p win over <paramref name="defaults"/>.</summary>
    public Result<(Formation Formation, PortPlan Ports)> Resolve(ParseResult parse, LoadedApp app, ForemanDefaults defaults) =>
        Resolve(parse.GetValue(Formation) ?? defaults.Formation, parse.GetValue(Port) ?? defaults.Port, parse.GetValue(Types) ?? [], app);

    /// <summary>
    /// The one path from -m, -p and types to a formation and port plan, checked (no port above 65535): used by
    /// `start`, `check` and `agent` alike.
    /// </summary>
    public static Result<(Formation Formation, PortPlan Ports)> Resolve(string? formationSpec, int? port, IReadOnlyList<string> types, LoadedApp app)
    {
        var spec = FormationSpec.Parse(formationSpec);
        if (!spec.Ok)
        {
            return Result<(Formation, PortPlan)>.Failure(spec.Errors);
        }
        var formation = spec.Value.Resolve(app.Procfile, types);
        var ports = PortPlan.Resolve(port, app.Environment.GetValueOrDefault("PORT"));
        var errors = formation.Errors.Concat(ports.Errors).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(ports.Value.Check(formation.Value).Errors);
        }
        return errors.Count > 0
            ? Result<(Formation, PortPlan)>.Failure(errors)
            : Result<(Formation, PortPlan)>.Success((formation.Value, ports.Value));
    }
}
