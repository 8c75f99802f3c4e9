namespace Drover.Cli.Tests.Support;

/// <summary>A random base port per test, so parallel tests never share ports (20000..59900, room for 50 types above it).</summary>
internal static class TestPorts
{
    /// <summary>A multiple of 100 from 20000 to 59900.</summary>
    public static int RandomBase() => 20000 + (Random.Shared.Next(0, 400) * 100);
}
