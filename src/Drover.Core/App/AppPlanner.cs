using Drover.Core.Control;
using Drover.Core.Diagnostics;
using Drover.Core.Formation;

namespace Drover.Core.App;

/// <summary>
/// The one path from what the user asked for to what runs: Procfile + env files + OS environment (the app), then
/// <c>-m</c> and the types (the formation), then <c>-p</c> or <c>$PORT</c> (the ports, checked against the
/// formation). Used by start, reload, check, export and agent alike, so they can never disagree.
/// </summary>
public static class AppPlanner
{
    /// <summary>Loads the app and plans its formation, reporting every problem found.</summary>
    /// <param name="request">The files, formation, port and types, with defaults already applied.</param>
    /// <param name="currentDirectory">What relative paths are relative to.</param>
    /// <param name="osEnvironment">The environment the env files are laid over.</param>
    public static Result<AppPlan> Plan(PlanRequest request, string currentDirectory, IReadOnlyDictionary<string, string> osEnvironment)
    {
        ArgumentNullException.ThrowIfNull(request);
        var loaded = AppLoader.Load(request.Settings, currentDirectory, osEnvironment);
        if (!loaded.Ok)
        {
            return Result<AppPlan>.Failure(loaded.Errors);
        }
        var app = loaded.Value;
        var resolved = Resolve(request.Formation, request.Port, request.Types, app);
        if (!resolved.Ok)
        {
            return Result<AppPlan>.Failure(resolved.Errors);
        }
        var (formation, ports) = resolved.Value;
        var factory = new InstanceFactory(app.Procfile, ports, app.Environment, app.Root, request.Backoff, app.Settings, app.TypeEnvironments);
        return Result<AppPlan>.Success(new AppPlan(app, new FormationPlan(factory, formation)));
    }

    /// <summary>The formation and port plan for <paramref name="app"/>, checked (no port above 65535).</summary>
    private static Result<(Formation.Formation Formation, PortPlan Ports)> Resolve(
        string? formationSpec, int? port, IReadOnlyList<string> types, LoadedApp app)
    {
        var spec = FormationSpec.Parse(formationSpec);
        if (!spec.Ok)
        {
            return Result<(Formation.Formation, PortPlan)>.Failure(spec.Errors);
        }
        var formation = spec.Value.Resolve(app.Procfile, types, app.Settings);
        var ports = PortPlan.Resolve(port, app.Environment.GetValueOrDefault("PORT"));
        var errors = formation.Errors.Concat(ports.Errors).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(ports.Value.Check(formation.Value).Errors);
        }
        return errors.Count > 0
            ? Result<(Formation.Formation, PortPlan)>.Failure(errors)
            : Result<(Formation.Formation, PortPlan)>.Success((formation.Value, ports.Value));
    }
}
