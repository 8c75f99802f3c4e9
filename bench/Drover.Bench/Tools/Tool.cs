namespace Drover.Bench.Tools;

/// <summary>A process manager under test (or the no-manager baseline): writes its configuration for a workload.</summary>
internal abstract class Tool
{
    /// <summary>Short id used on the command line (<c>--tools</c>).</summary>
    public abstract string Id { get; }

    /// <summary>Name shown in tables and the chart.</summary>
    public abstract string Display { get; }

    /// <summary>The version string, as the tool reports it.</summary>
    public abstract string Version();

    /// <summary>Whether this is Drover (highlighted in the chart, checked against the targets).</summary>
    public virtual bool IsDrover => false;

    /// <summary>Writes whatever configuration <paramref name="workload"/> needs into <paramref name="dir"/>.</summary>
    public abstract LaunchSpec Prepare(Workload workload, string dir);

    /// <summary>Runs a command and returns its first non-empty output line (for versions).</summary>
    protected static string FirstLine(string file, params string[] args)
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            using var p = System.Diagnostics.Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit(10_000);
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"not runnable ({e.Message})";
        }
    }

    /// <summary>Writes a Procfile with one line per type and returns the Foreman-style formation <c>a=1,b=2</c>.</summary>
    protected static string WriteProcfile(Workload workload, string dir)
    {
        File.WriteAllLines(Path.Combine(dir, "Procfile"), workload.Types.Select(t => $"{t.Name}: {t.CommandLine}"));
        return string.Join(',', workload.Types.Select(t => $"{t.Name}={t.Count}"));
    }
}
