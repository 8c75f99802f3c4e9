using System.Diagnostics;
using System.Text;

namespace Drover.Cluster.Tests.Support;

/// <summary>
/// A real <c>drover agent</c> as a child of the test (optionally inside a network namespace); its output is kept.
/// Disposing it SIGKILLs it; its orphan guard then takes its processes down.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process, string node)
    {
        _process = process;
        Node = node;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The node name.</summary>
    public string Node { get; }

    /// <summary>Everything it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts an agent for <paramref name="app"/>'s Procfile in <paramref name="root"/>.</summary>
    public static AgentProcess Start(string endpoints, string app, string node, string root, string? netns = null, params string[] extra)
    {
        var psi = netns is null ? new ProcessStartInfo(DroverBinary.Path) : new ProcessStartInfo("ip", ["netns", "exec", netns, DroverBinary.Path]);
        foreach (string a in new[] { "agent", "--etcd", endpoints, "--app", app, "--node", node, "--no-color" }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        psi.WorkingDirectory = root;
        psi.Environment["NODE"] = node;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        return new AgentProcess(Process.Start(psi)!, node);
    }

    /// <summary>True once the agent exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as a crash or a pulled plug would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Append(line).Append('\n');
        }
    }
}
