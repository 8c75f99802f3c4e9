using System.CommandLine;
using Drover.Core.App;

namespace Drover.Cli.Commands;

/// <summary>-m and -p, and the optional list of types to run, shared by start, check, export and agent.</summary>
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

    /// <summary>What the command line asks to run: -f -e -d, -m, -p and the types (<c>.foreman</c> not yet applied).</summary>
    public PlanRequest Request(ParseResult parse, AppOptions app) =>
        new(app.GivenSettings(parse), parse.GetValue(Formation), parse.GetValue(Port), parse.GetValue(Types) ?? []);
}
