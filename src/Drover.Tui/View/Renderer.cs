using System.Text;
using Drover.Tui.Feed;
using Drover.Tui.Model;

namespace Drover.Tui.View;

/// <summary>
/// The screen as lines, from the state and the terminal's size (pure, so any size lays out the same way): a title
/// bar, the process table, the log pane's bar and lines, and the help line. Each line fills the width exactly.
/// </summary>
internal static class Renderer
{
    public const string HelpLine = "q quit +/- scale r restart x stop s start a attach ⏎ log / find p pause ? help";

    private static readonly string[] HelpText =
    [
        "Keys",
        "  ↑ ↓  k j     select a process (or a type that has none)",
        "  + -          scale the selected type up or down by one",
        "  r            rolling restart of the selected type (R: only the selected instance)",
        "  x  s         stop / start the selected instance",
        "  a            attach to the selected instance's terminal; Ctrl-] comes back",
        "  Enter  l     the log follows the selected instance; again: every process",
        "  /  n  N      search the log; next (older) / previous (newer) match; Esc ends it",
        "  p  Space     pause / follow the log;  PgUp PgDn scroll;  End follows again",
        "  q  Ctrl-C    quit (`drover tui` leaves the formation running)",
        "",
        "Any key closes this help.",
    ];

    public static List<string> Render(TuiState state, int rows, int columns, Styles styles, string appName, bool ownsFormation)
    {
        columns = Math.Max(1, columns);
        rows = Math.Max(1, rows);
        var lines = new List<string>(rows) { Title(state, columns, styles, appName) };
        var items = state.Items();
        int tableRows = Math.Min(Math.Max(1, items.Count), Math.Max(1, (rows - 4) * 2 / 5));
        if (rows >= 5)
        {
            lines.AddRange(Table(state, items, tableRows, columns, styles));
        }
        int logRows = rows - lines.Count - 2;
        if (logRows >= 0)
        {
            lines.Add(LogBar(state, columns, styles));
            lines.AddRange(state.Mode == InputMode.Help ? Help(logRows, columns) : LogLines(state, logRows, columns, styles));
        }
        while (lines.Count < rows - 1)
        {
            lines.Add(new string(' ', columns));
        }
        if (lines.Count < rows)
        {
            lines.Add(Bottom(state, columns, styles, ownsFormation));
        }
        return lines.Count > rows ? lines[..rows] : lines;
    }

    private static string Title(TuiState state, int columns, Styles styles, string appName)
    {
        var rows = state.Frame?.Rows ?? [];
        int running = rows.Count(r => FormationFrame.Text(r, "state") == "running");
        string left = state.Frame is null
            ? $" drover · {appName} · connecting…"
            : $" drover · {appName} · {running}/{rows.Count} running · {state.Frame.Phase}";
        string right = state.Message is { } m ? m + " " : "";
        int room = columns - right.Length;
        string text = room > left.Length ? left.PadRight(room) + right : TextCells.Fit(left + "  " + right, columns);
        return Styles.Reverse + TextCells.Fit(text, columns) + Styles.Reset;
    }

    private static IEnumerable<string> Table(TuiState state, List<Item> items, int height, int columns, Styles styles)
    {
        var rows = state.Frame?.Rows ?? [];
        var shown = Columns.For(rows);
        int nameWidth = Math.Clamp(items.Select(i => i.Name.Length).DefaultIfEmpty(4).Max(), 4, 16);
        int fixedWidth = shown.Sum(c => c.Width < 0 ? nameWidth + 1 : c.Width > 0 ? c.Width + 1 : 0) + 1;
        int flexible = Math.Max(0, columns - fixedWidth);
        int Width(Column c) => c.Width < 0 ? nameWidth : c.Width > 0 ? c.Width : flexible;

        var header = new StringBuilder(" ");
        foreach (var c in shown)
        {
            header.Append(TextCells.Fit(c.Header, Width(c), c.Right)).Append(' ');
        }
        yield return Styles.Bold + TextCells.Fit(header.ToString(), columns) + Styles.Reset;

        var current = state.Current();
        int selected = Math.Max(0, items.FindIndex(i => i.Name == current?.Name));
        int top = Math.Clamp(selected - (height / 2), 0, Math.Max(0, items.Count - height));
        for (int i = top; i < top + height; i++)
        {
            if (i >= items.Count)
            {
                yield return new string(' ', columns);
                continue;
            }
            var item = items[i];
            bool isSelected = i == selected;
            var line = new StringBuilder(isSelected ? Styles.Reverse + ">" : " ");
            int used = 1;
            foreach (var c in shown)
            {
                int width = Width(c);
                string text = item.Row is { } row ? TextCells.Clean(c.Value(row)) : c.Header == "NAME" ? item.Type : c.Header == "STATE" ? "(none)" : "";
                string cell = TextCells.Fit(text, width, c.Right);
                string color = c.Header == "STATE" && !isSelected ? styles.State(text) : "";
                line.Append(color).Append(TextCells.Cut(cell + " ", Math.Max(0, columns - used))).Append(color.Length > 0 ? Styles.Reset : "");
                used += width + 1;
                if (used >= columns)
                {
                    break;
                }
            }
            if (used < columns)
            {
                line.Append(' ', columns - used);
            }
            yield return line.Append(Styles.Reset).ToString();
        }
    }

    private static string LogBar(TuiState state, int columns, Styles styles)
    {
        var log = state.Log;
        string following = log.Paused ? $"paused, {log.NewWhilePaused} new (p follows)" : "following";
        string search = log.Search is { } s && log.MatchPosition() is var (index, total)
            ? total == 0 ? $" ─ /{s}: no match" : $" ─ /{s}: match {index} of {total} (n/N)"
            : "";
        string text = $"── log: {state.LogTarget ?? "all processes"} ─ {following}{search} ";
        return styles.Bar + TextCells.Fit(text.PadRight(columns, '─'), columns) + Styles.Reset;
    }

    private static IEnumerable<string> LogLines(TuiState state, int height, int columns, Styles styles)
    {
        var visible = state.Log.Visible(height);
        bool searching = state.Log.Search is not null;
        foreach (var (number, text) in visible)
        {
            if (!searching)
            {
                yield return TextCells.Fit(text, columns);
            }
            else if (number == state.Log.Match)
            {
                yield return Styles.Reverse + ">" + TextCells.Fit(text, columns - 1) + Styles.Reset;
            }
            else
            {
                yield return " " + TextCells.Fit(text, columns - 1);
            }
        }
        for (int i = visible.Count; i < height; i++)
        {
            yield return new string(' ', columns);
        }
    }

    private static IEnumerable<string> Help(int height, int columns) =>
        HelpText.Concat(Enumerable.Repeat("", Math.Max(0, height - HelpText.Length))).Take(height).Select(l => TextCells.Fit(l, columns));

    private static string Bottom(TuiState state, int columns, Styles styles, bool ownsFormation) => state.Mode switch
    {
        InputMode.Search => TextCells.Fit("/" + state.SearchInput + "█", columns),
        InputMode.ConfirmQuit => Styles.Reverse + TextCells.Fit(
            ownsFormation ? "Stop the formation and quit? y: yes, any other key: no" : "Quit? y: yes", columns) + Styles.Reset,
        _ => Styles.Reverse + TextCells.Fit(HelpLine, columns) + Styles.Reset,
    };
}
