using System.Text.Json;

namespace Drover.Bench;

/// <summary>
/// Every sample of a run plus what the report needs besides them (times, load, versions, machine), so a report can
/// be rendered again from the file (<c>--render-only</c>) without measuring again.
/// </summary>
internal static class ResultsFile
{
    internal sealed record SampleDto(double? Value, string? Note, double Busy);
    internal sealed record SeriesDto(string Measure, string Tool, List<SampleDto> Samples);
    internal sealed record LoadDto(string Measure, string Load);
    internal sealed record MetaDto(
        DateTime Began, DateTime Ended, int Reps, int HeavyReps, List<LoadDto> Loads,
        Dictionary<string, string> Versions, MachineInfo Machine, List<DateTime>? Earlier = null);
    internal sealed record FileDto(MetaDto Meta, List<SeriesDto> Series);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Save(string path, MetaDto meta, ResultSet results)
    {
        var series = results.All
            .Select(s => new SeriesDto(s.Measure, s.Tool, [.. s.Samples.Select(x => new SampleDto(x.Value, x.Note, x.Busy))]))
            .ToList();
        File.WriteAllText(path, JsonSerializer.Serialize(new FileDto(meta, series), Json));
    }

    public static (MetaDto Meta, ResultSet Results) Load(string path)
    {
        var file = JsonSerializer.Deserialize<FileDto>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: empty");
        var results = new ResultSet();
        foreach (var s in file.Series)
        {
            results.Get(s.Measure, s.Tool).Samples.AddRange(s.Samples.Select(x => new Sample(x.Value, x.Note, x.Busy)));
        }
        return (file.Meta, results);
    }

    /// <summary>
    /// Adds to <paramref name="results"/> every series of the file at <paramref name="path"/> that this run did not
    /// measure, and to <paramref name="versions"/> the versions of tools this run did not measure.
    /// </summary>
    /// <returns>When the earlier runs began (the file's and those it had merged), and their load averages.</returns>
    public static (List<DateTime> Earlier, List<(string Measure, string Load)> Loads) MergeInto(
        string path, ResultSet results, Dictionary<string, string> versions)
    {
        var (meta, earlier) = Load(path);
        foreach (var s in earlier.All.Where(s => results.Find(s.Measure, s.Tool) is null).ToList())
        {
            results.Get(s.Measure, s.Tool).Samples.AddRange(s.Samples);
        }
        foreach (var (tool, version) in meta.Versions)
        {
            versions.TryAdd(tool, version);
        }
        List<DateTime> earlierRuns = [.. meta.Earlier ?? [], meta.Began];
        // Loads merged before are labelled already.
        return (earlierRuns, [.. meta.Loads.Select(l =>
            (l.Measure.Contains("(run of ", StringComparison.Ordinal) ? l.Measure : $"{l.Measure} (run of {meta.Began:HH:mm})", l.Load))]);
    }
}
