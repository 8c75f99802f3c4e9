namespace Drover.Bench;

/// <summary>Progress on stderr, and a copy in the run log.</summary>
internal static class Log
{
    private static readonly object Gate = new();
    private static StreamWriter? _file;

    public static void To(string path)
    {
        _file = new StreamWriter(path, append: false) { AutoFlush = true };
    }

    public static void Line(string text)
    {
        lock (Gate)
        {
            string stamped = $"{DateTime.Now:HH:mm:ss} {text}";
            Console.Error.WriteLine(stamped);
            _file?.WriteLine(stamped);
        }
    }
}
