using Drover.Tui.Terminal;

namespace Drover.Tui.Tests;

/// <summary>Bytes typed on a terminal to keys.</summary>
public sealed class KeyDecoderTests
{
    private static List<Key> Decode(string bytes) => KeyDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(bytes));

    [Fact]
    public void Characters_control_keys_and_escape_sequences()
    {
        Assert.Equal(
            [Key.Of('q'), Key.Of('+'), new Key(KeyKind.Enter), new Key(KeyKind.CtrlC), new Key(KeyKind.Backspace), new Key(KeyKind.Tab)],
            Decode("q+\r\u0003\u007f\t"));
        Assert.Equal([new Key(KeyKind.Up), new Key(KeyKind.Down), new Key(KeyKind.Up)], Decode("\u001b[A\u001b[B\u001bOA"));
        Assert.Equal([new Key(KeyKind.PageUp), new Key(KeyKind.PageDown), new Key(KeyKind.Home), new Key(KeyKind.End)], Decode("\u001b[5~\u001b[6~\u001b[H\u001b[4~"));
    }

    [Fact]
    public void A_lone_escape_is_the_escape_key_and_unknown_sequences_are_dropped()
    {
        Assert.Equal([new Key(KeyKind.Escape)], Decode("\u001b"));
        Assert.Equal([Key.Of('x')], Decode("\u001b[1;5Zx"));
        Assert.Equal([new Key(KeyKind.Right)], Decode("\u001b[1;5C")); // Ctrl-Right is still Right
    }

    [Fact]
    public void Utf8_characters_are_one_key_each()
    {
        Assert.Equal([Key.Of('é'), Key.Of('/')], Decode("é/"));
    }
}
