namespace Drover.Export.Tests.Support;

/// <summary>
/// A test that needs a program on PATH: skipped, with the reason, when it is missing. scripts/test.sh installs
/// them; the tests themselves install nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresCommandFactAttribute : FactAttribute
{
    public RequiresCommandFactAttribute(params string[] commands) => Skip = MissingCommands.Reason(commands);
}

/// <summary>The same for a theory.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresCommandTheoryAttribute : TheoryAttribute
{
    public RequiresCommandTheoryAttribute(params string[] commands) => Skip = MissingCommands.Reason(commands);
}

/// <summary>A test that needs a Compose implementation ("v1" or "v2", see <see cref="ComposeTool"/>) and other programs.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresComposeFactAttribute : FactAttribute
{
    public RequiresComposeFactAttribute(string version, params string[] commands) =>
        Skip = MissingCommands.Reason(commands) ?? ComposeTool.Named(version).Missing();
}

internal static class MissingCommands
{
    /// <summary>Why a test that needs <paramref name="commands"/> is skipped; null when none is missing.</summary>
    public static string? Reason(string[] commands)
    {
        var missing = commands.Where(c => Commands.Find(c) is null).ToList();
        return missing.Count > 0
            ? $"not installed: {string.Join(", ", missing)} (scripts/test.sh installs the Debian packages)"
            : null;
    }
}
