namespace Drover.Core.Output;

/// <summary>
/// Gathers bytes into 64 KiB blocks and writes them to the output stream. A stream that fails (the reader of
/// `drover start | head` went away) is dropped: nothing more is written, and nothing is thrown. Writer thread only.
/// </summary>
internal sealed class BlockWriter(Stream output)
{
    private const int BlockSize = 64 * 1024;

    private readonly byte[] _block = new byte[BlockSize];
    private int _buffered;
    private bool _broken;

    /// <summary>Adds <paramref name="bytes"/>, writing out full blocks.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_buffered == _block.Length)
            {
                Flush();
            }
            int take = Math.Min(bytes.Length, _block.Length - _buffered);
            bytes[..take].CopyTo(_block.AsSpan(_buffered));
            _buffered += take;
            bytes = bytes[take..];
        }
    }

    /// <summary>Writes what has been gathered.</summary>
    public void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }
        if (!_broken)
        {
            try
            {
                output.Write(_block, 0, _buffered);
                output.Flush();
            }
            catch (Exception)
            {
                // The reader of our stdout went away (e.g. `drover start | head`), or the stream failed in another
                // way: keep supervising, stop writing. A failing output is never fatal.
                _broken = true;
            }
        }
        _buffered = 0;
    }
}
