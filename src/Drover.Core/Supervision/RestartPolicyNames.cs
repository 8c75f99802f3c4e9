namespace Drover.Core.Supervision;

/// <summary>The one spelling of <see cref="RestartPolicy"/> on the command line: <c>on-failure</c>, <c>always</c>, <c>never</c>.</summary>
public static class RestartPolicyNames
{
    /// <summary>Every name, the default first.</summary>
    public static IReadOnlyList<string> All { get; } = ["on-failure", "always", "never"];

    /// <summary>The default's name.</summary>
    public static string Default => All[0];

    /// <summary>The policy named <paramref name="name"/>, or null when it is not one of <see cref="All"/>.</summary>
    public static RestartPolicy? Parse(string? name) => name switch
    {
        "on-failure" => RestartPolicy.OnFailure,
        "always" => RestartPolicy.Always,
        "never" => RestartPolicy.Never,
        _ => null,
    };
}
