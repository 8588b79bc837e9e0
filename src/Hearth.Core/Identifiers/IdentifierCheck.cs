namespace Hearth.Core.Identifiers;

/// <summary>
/// The result of checking one identifier: whether it is valid, its normalised form when it is, and when it
/// is not, a reason a data officer can act on ("check digit should be 0 but is 1"). The reason never
/// repeats the identifier itself, so it can be logged and reported safely.
/// </summary>
public readonly record struct IdentifierCheck(bool IsValid, string? Normalised, string? Reason)
{
    public static IdentifierCheck Valid(string normalised) => new(true, normalised, null);

    public static IdentifierCheck Invalid(string reason) => new(false, null, reason);
}
