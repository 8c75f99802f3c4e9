namespace Drover.Core.Procfile;

/// <summary>A parsed Procfile: its process types in file order.</summary>
/// <param name="File">The file the Procfile came from, as the user named it.</param>
/// <param name="Types">The process types in the order they appear; the order decides ports and colors.</param>
public sealed record ProcfileDocument(string File, IReadOnlyList<ProcessType> Types)
{
    /// <summary>The 0-based position of the type called <paramref name="name"/>, or -1 when there is none.</summary>
    /// <param name="name">The process type name; compared ordinally, as Foreman does.</param>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Types.Count; i++)
        {
            if (string.Equals(Types[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The type called <paramref name="name"/>, or null when there is none.</summary>
    /// <param name="name">The process type name; compared ordinally.</param>
    public ProcessType? Find(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? null : Types[index];
    }
}
