namespace Drover.Tui.Terminal;

/// <summary>What kind of key was pressed.</summary>
internal enum KeyKind
{
    Char,
    Enter,
    Escape,
    Backspace,
    Tab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    CtrlC,
}

/// <summary>One key press; <see cref="Char"/> is set for <see cref="KeyKind.Char"/>.</summary>
internal readonly record struct Key(KeyKind Kind, char Char = '\0')
{
    public static Key Of(char c) => new(KeyKind.Char, c);

    public bool Is(char c) => Kind == KeyKind.Char && Char == c;
}
