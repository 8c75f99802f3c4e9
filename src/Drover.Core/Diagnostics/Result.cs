namespace Drover.Core.Diagnostics;

/// <summary>
/// Either a value or the diagnostics that explain why there is none. Parsers return this instead of throwing,
/// so every caller must look at the errors.
/// </summary>
public sealed class Result<T>
{
    private readonly T? _value;

    private Result(T? value, IReadOnlyList<Diagnostic> errors)
    {
        _value = value;
        Errors = errors;
    }

    /// <summary>Errors; empty on success.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; }

    /// <summary>True when there are no errors and <see cref="Value"/> may be read.</summary>
    public bool Ok => Errors.Count == 0;

    /// <summary>The value; throws when the result has errors.</summary>
    public T Value => Ok ? _value! : throw new InvalidOperationException("Result has errors: " + string.Join("; ", Errors));

    /// <summary>A successful result.</summary>
    public static Result<T> Success(T value) => new(value, []);

    /// <summary>A failed result; at least one diagnostic is required.</summary>
    public static Result<T> Failure(IReadOnlyList<Diagnostic> errors)
    {
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count);
        return new(default, errors);
    }

    /// <summary>A failed result with a single diagnostic.</summary>
    public static Result<T> Failure(Diagnostic error) => Failure([error]);
}
