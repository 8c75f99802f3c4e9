using Drover.Tui.Model;
using Drover.Tui.Terminal;

namespace Drover.Tui;

/// <summary>What each key does (docs/tui.md lists them).</summary>
internal sealed partial class TuiLoop
{
    private KeyReader? _keys;

    /// <summary>Applies keys typed (called on the loop).</summary>
    public void OnKeys(IReadOnlyList<Key> keys)
    {
        foreach (var key in keys)
        {
            if (_quit || _attached)
            {
                return;
            }
            _dirty = true;
            switch (_state.Mode)
            {
                case InputMode.Search:
                    SearchKey(key);
                    break;
                case InputMode.ConfirmQuit:
                    _state.Mode = InputMode.Normal;
                    if (key.Is('y') || key.Is('Y'))
                    {
                        _quit = true;
                    }
                    break;
                case InputMode.Help:
                    _state.Mode = InputMode.Normal;
                    break;
                default:
                    NormalKey(key);
                    break;
            }
        }
    }

    private void NormalKey(Key key)
    {
        int page = Math.Max(1, TerminalScreen.Size.Rows / 2);
        switch (key.Kind)
        {
            case KeyKind.CtrlC:
                _quit = true;
                return;
            case KeyKind.Up:
                _state.Move(-1);
                return;
            case KeyKind.Down:
                _state.Move(1);
                return;
            case KeyKind.PageUp:
                _state.Log.Scroll(-page, page);
                return;
            case KeyKind.PageDown:
                _state.Log.Scroll(page, page);
                return;
            case KeyKind.End:
                _state.Log.Follow();
                return;
            case KeyKind.Escape:
                _state.Log.EndSearch();
                _state.Message = null;
                return;
            case KeyKind.Enter:
                ToggleLogTarget();
                return;
            case KeyKind.Char:
                break;
            default:
                return;
        }
        var item = _state.Current();
        switch (key.Char)
        {
            case 'q':
                // `start --tui` owns the formation: quitting stops it, so ask. `drover tui` just goes.
                if (_options.StopFormation is null)
                {
                    _quit = true;
                }
                else
                {
                    _state.Mode = InputMode.ConfirmQuit;
                }
                break;
            case 'k':
                _state.Move(-1);
                break;
            case 'j':
                _state.Move(1);
                break;
            case '?' or 'h':
                _state.Mode = InputMode.Help;
                break;
            case '/':
                _state.Mode = InputMode.Search;
                _state.SearchInput = "";
                break;
            case 'n':
                Say(_state.Log.Next() ? null : "no further match (older)");
                break;
            case 'N':
                Say(_state.Log.Previous() ? null : "no further match (newer)");
                break;
            case 'p' or ' ':
                _state.Log.TogglePause();
                break;
            case 'l':
                ToggleLogTarget();
                break;
            case '+' or '=' when item is not null:
                Scale(item.Type, +1);
                break;
            case '-' or '_' when item is not null:
                Scale(item.Type, -1);
                break;
            case 'r' when item is not null:
                Request("restart", item.Type, $"rolling restart of {item.Type}");
                break;
            case 'R' when item?.Row is not null:
                Request("restart", item.Name, $"restart of {item.Name}");
                break;
            case 'x' when item?.Row is not null:
                Request("stop", item.Name, $"stop {item.Name}");
                break;
            case 's' when item?.Row is not null:
                Request("start", item.Name, $"start {item.Name}");
                break;
            case 'a' when item?.Row is not null:
                Attach(item.Name);
                break;
        }
    }

    private void SearchKey(Key key)
    {
        switch (key.Kind)
        {
            case KeyKind.Enter:
                _state.Mode = InputMode.Normal;
                Say(_state.Log.Find(_state.SearchInput) || _state.SearchInput.Length == 0 ? null : $"no line matches '{_state.SearchInput}'");
                break;
            case KeyKind.Escape or KeyKind.CtrlC:
                _state.Mode = InputMode.Normal;
                break;
            case KeyKind.Backspace:
                _state.SearchInput = _state.SearchInput.Length > 0 ? _state.SearchInput[..^1] : "";
                break;
            case KeyKind.Char:
                _state.SearchInput += key.Char;
                break;
        }
    }

    private void ToggleLogTarget()
    {
        var item = _state.Current();
        string? target = item?.Row is not null && _state.LogTarget != item.Name ? item.Name : null;
        FollowLog(target);
    }

    private void Say(string? message) => _state.Message = message;
}
