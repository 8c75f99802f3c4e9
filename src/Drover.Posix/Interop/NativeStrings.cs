using System.Runtime.InteropServices;
using System.Text;

namespace Drover.Posix.Interop;

/// <summary>
/// NUL-terminated UTF-8 strings and string arrays in native memory, freed together. Built before
/// posix_spawn so that nothing is allocated between fork-like steps.
/// </summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> _blocks = [];

    public byte* String(string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        _blocks.Add((nint)p);
        fixed (char* c = value)
        {
            Encoding.UTF8.GetBytes(c, value.Length, p, n);
        }
        p[n] = 0;
        return p;
    }

    /// <summary>A NULL-terminated array of strings, as argv and envp want.</summary>
    public byte** Array(IEnumerable<string> values)
    {
        var list = values.ToList();
        byte** arr = (byte**)NativeMemory.Alloc((nuint)(list.Count + 1), (nuint)sizeof(byte*));
        _blocks.Add((nint)arr);
        for (int i = 0; i < list.Count; i++)
        {
            arr[i] = String(list[i]);
        }
        arr[list.Count] = null;
        return arr;
    }

    public void Dispose()
    {
        foreach (nint b in _blocks)
        {
            NativeMemory.Free((void*)b);
        }
        _blocks.Clear();
    }
}
