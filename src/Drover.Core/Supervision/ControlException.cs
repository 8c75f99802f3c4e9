namespace Drover.Core.Supervision;

/// <summary>A control request that cannot be carried out as asked (unknown instance, formation shutting down, ...).</summary>
public sealed class ControlException(string message, ControlError kind = ControlError.Invalid) : Exception(message)
{
    /// <summary>What kind of refusal this is, for the wire status.</summary>
    public ControlError Kind { get; } = kind;
}

/// <summary>Kinds of control refusal.</summary>
public enum ControlError
{
    /// <summary>The request is malformed or names something wrong.</summary>
    Invalid,

    /// <summary>The named instance or type does not exist.</summary>
    NotFound,

    /// <summary>The formation cannot do it now (it is shutting down, or a step failed).</summary>
    Conflict,
}
