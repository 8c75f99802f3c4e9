using Drover.Core.Logs;

namespace Drover.Cli.Commands;

/// <summary>Prints what a log query finds in a log directory, as the files hold it, then (with -f) new lines as they come.</summary>
internal static class LogFileReading
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public static async Task<int> PrintAsync(string dir, LogQuery query, bool follow, CancellationToken cancel)
    {
        if (!Directory.Exists(dir))
        {
            await Console.Error.WriteLineAsync($"drover: no log directory {dir}");
            return ExitCodes.Usage;
        }
        var output = new BufferedStream(StandardStreams.Output(), 256 * 1024);
        void Print(LogSearch.Match m)
        {
            output.Write(m.Line);
            output.WriteByte((byte)'\n');
        }
        using var follower = follow ? new LogFollower(dir, query) : null;
        try
        {
            bool found = follower is not null ? follower.PrintExisting(Print) : LogSearch.Run(dir, query, Print);
            if (!found && !follow)
            {
                await Console.Error.WriteLineAsync($"drover: no log files {(query.Target is null ? "" : $"of '{query.Target}' ")}in {dir}");
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
