using System.CommandLine;
using Drover.Cluster.State;
using Drover.Cluster.Store;

namespace Drover.Cli.Commands;

/// <summary>--etcd and --app, shared by `drover agent` and `drover cluster`.</summary>
internal sealed class ClusterOptions
{
    public Option<string> Etcd { get; } = new("--etcd")
    {
        Description = "etcd endpoints, comma-separated URLs, e.g. http://10.0.0.5:2379,http://10.0.0.6:2379",
        HelpName = "urls",
        Required = true,
        Recursive = true,
    };

    public Option<string> App { get; } = new("--app")
    {
        Description = "the app's name in the cluster (letters, digits, '-', '_', '.'); its keys are under /drover/NAME/",
        HelpName = "name",
        Required = true,
        Recursive = true,
    };

    public ClusterOptions()
    {
        App.Validators.Add(r =>
        {
            if (!ClusterKeys.IsValidName(r.GetValueOrDefault<string>() ?? ""))
            {
                r.AddError("--app must be 1 to 128 letters, digits, '-', '_' or '.'");
            }
        });
        Etcd.Validators.Add(r =>
        {
            foreach (string url in (r.GetValueOrDefault<string>() ?? "").Split(','))
            {
                if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    r.AddError($"--etcd: '{url}' is not an http:// or https:// URL");
                }
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Etcd);
        command.Options.Add(App);
    }

    public ClusterKeys Keys(ParseResult parse) => new(parse.GetValue(App)!);

    public EtcdStore Connect(ParseResult parse) =>
        new(string.Join(',', parse.GetValue(Etcd)!.Split(',').Select(u => u.Trim())), TimeSpan.FromSeconds(5));
}
