using System.Text.Json;
using Drover.Tui.Feed;

namespace Drover.Tui.Model;

/// <summary>What the keys are doing: moving around, typing a search, answering a question, reading the help.</summary>
internal enum InputMode
{
    Normal,
    Search,
    ConfirmQuit,
    Help,
}

/// <summary>A row of the table: an instance, or a type with no instance (so it can be scaled up again).</summary>
internal sealed record Item(string Type, JsonElement? Row)
{
    public string Name => Row is { } r ? FormationFrame.Text(r, "name") ?? Type : Type;
}

/// <summary>Everything the screen shows, owned by the UI's loop (one thread at a time).</summary>
internal sealed class TuiState(int logCapacity)
{
    public FormationFrame? Frame { get; set; }

    /// <summary>The selected item's name (an instance, or a type without instances).</summary>
    public string? Selected { get; set; }

    /// <summary>The instance the log pane follows; null for all.</summary>
    public string? LogTarget { get; set; }

    public InputMode Mode { get; set; }

    /// <summary>The search being typed.</summary>
    public string SearchInput { get; set; } = "";

    /// <summary>The outcome of the last request, or a hint.</summary>
    public string? Message { get; set; }

    public LogPane Log { get; } = new(logCapacity);

    /// <summary>Counts asked for by +/- whose answer has not come yet, so a quick second key counts from the first.</summary>
    public Dictionary<string, int> Desired { get; } = [];

    /// <summary>The table's rows: each type in Procfile order with its instances, or the type alone when it has none.</summary>
    public List<Item> Items()
    {
        if (Frame is null)
        {
            return [];
        }
        var items = new List<Item>();
        var byType = Frame.Rows.GroupBy(r => FormationFrame.Text(r, "type") ?? "").ToDictionary(g => g.Key, g => g.ToList());
        foreach (string type in Frame.Types.Concat(byType.Keys.Where(k => !Frame.Types.Contains(k))))
        {
            if (byType.TryGetValue(type, out var rows))
            {
                items.AddRange(rows.Select(r => new Item(type, r)));
            }
            else
            {
                items.Add(new Item(type, null));
            }
        }
        return items;
    }

    /// <summary>The selected item (the first when the selected one is gone), or null when there is none.</summary>
    public Item? Current()
    {
        var items = Items();
        var item = items.FirstOrDefault(i => i.Name == Selected) ?? items.FirstOrDefault();
        Selected = item?.Name;
        return item;
    }

    /// <summary>Moves the selection by <paramref name="delta"/> rows.</summary>
    public void Move(int delta)
    {
        var items = Items();
        if (items.Count == 0)
        {
            return;
        }
        int at = Math.Max(0, items.FindIndex(i => i.Name == Selected));
        Selected = items[Math.Clamp(at + delta, 0, items.Count - 1)].Name;
    }

    /// <summary>The number of instances of <paramref name="type"/> in the last frame.</summary>
    public int CountOf(string type) => Frame?.Rows.Count(r => FormationFrame.Text(r, "type") == type) ?? 0;
}
