namespace Drover.Core.Output;

/// <summary>A named producer of lines: a process instance such as <c>web.1</c>, or <c>system</c> for Drover itself.</summary>
/// <param name="Name">The name shown in the prefix.</param>
/// <param name="ColorIndex">Which color of the palette the prefix uses; one per process type.</param>
public sealed record OutputSource(string Name, int ColorIndex)
{
    /// <summary>Drover's own lifecycle messages.</summary>
    public static OutputSource System { get; } = new("system", -1);
}
