namespace Drover.Core.Supervision;

/// <summary>
/// Who holds a TCP port, so a process that keeps failing because its PORT is taken can be told apart from one
/// that simply crashes. Optional: without it, exits are reported as they are.
/// </summary>
public interface IPortOwners
{
    /// <summary>True when some socket listens on TCP <paramref name="port"/> (any address). Cheap.</summary>
    bool IsListening(int port);

    /// <summary>
    /// Who listens on <paramref name="port"/>, for a message: e.g. <c>pid 1234 (python3 -m http.server)</c>, or
    /// what can be said when the process is not visible. Slower: it may look through every process.
    /// </summary>
    string DescribeListener(int port);
}
