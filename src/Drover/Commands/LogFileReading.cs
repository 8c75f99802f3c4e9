using Drover.Core.Logs;

namespace Drover.Cli.Commands;

/// <summary>Prints what a log query finds in the log files (the log directory, the types' own files), as the files
/// hold it, then (with -f) new lines as they come.</summary>
internal static class LogFileReading
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public static async Task<int> PrintAsync(LogLayout layout, LogQuery query, bool follow, CancellationToken cancel)
    {
        if (layout.TypeFiles.Count == 0 && layout.Directory is string missing && !Directory.Exists(missing))
        {
            await Console.Error.WriteLineAsync($"drover: no log directory {missing}");
            return ExitCodes.Usage;
        }
        string where = string.Join(", ", (layout.Directory is null ? [] : new[] { layout.Directory }).Concat(layout.TypeFiles.Values.Order(StringComparer.Ordinal)));
        var output = new BufferedStream(StandardStreams.Output(), 256 * 1024);
        void Print(LogSearch.Match m)
        {
            output.Write(m.Line);
            output.WriteByte((byte)'\n');
        }
        using var follower = follow ? new LogFollower(layout, query) : null;
        try
        {
            bool found = follower is not null ? follower.PrintExisting(Print) : LogSearch.Run(layout, query, Print);
            if (!found && !follow)
            {
                await Console.Error.WriteLineAsync($"drover: no log files {(query.Target is null ? "" : $"of '{query.Target}' ")}in {where}");
                return ExitCodes.Usage;
            }
            await output.FlushAsync(cancel);
            while (follower is not null && !cancel.IsCancellationRequested)
            {
                await Task.Delay(PollEvery, cancel);
                follower.PollNew(Print);
                await output.FlushAsync(cancel);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C ends -f.
        }
        catch (IOException)
        {
            // stdout closed (`drover logs | head`).
        }
        return ExitCodes.Ok;
    }
}
