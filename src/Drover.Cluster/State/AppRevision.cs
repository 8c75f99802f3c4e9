using System.IO.Hashing;
using System.Text;
using Drover.Core.App;

namespace Drover.Cluster.State;

/// <summary>The app revision: a hash of the Procfile's types and commands and of the env files' variables.</summary>
public static class AppRevision
{
    /// <summary>16 hex digits of XxHash64 over every <c>type: command</c> and every env-file <c>KEY=value</c>, sorted.</summary>
    public static string Of(LoadedApp app)
    {
        var text = new StringBuilder();
        foreach (var type in app.Procfile.Types)
        {
            text.Append(type.Name).Append(": ").Append(type.Command).Append('\n');
        }
        foreach (var (key, value) in app.FileEnvironment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        return Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
