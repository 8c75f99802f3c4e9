namespace Drover.Export.Tests.Support;

/// <summary>
/// A test that needs a program on PATH: skipped, with the reason, when it is missing. scripts/test.sh installs
/// them; the tests themselves install nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresCommandFactAttribute : FactAttribute
{
    public RequiresCommandFactAttribute(params string[] commands)
    {
        var missing = commands.Where(c => Commands.Find(c) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"not installed: {string.Join(", ", missing)} (scripts/test.sh installs the Debian packages)";
        }
    }
}
