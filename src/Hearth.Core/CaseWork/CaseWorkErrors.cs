namespace Hearth.Core.CaseWork;

/// <summary>
/// The family does not exist or the actor may not see it. Both give the same answer, so a reference outside
/// someone's caseload tells them nothing.
/// </summary>
public sealed class CaseNotFoundException : Exception
{
    public CaseNotFoundException()
        : base("No such family in your case work.")
    {
    }

    public CaseNotFoundException(string message)
        : base(message)
    {
    }

    public CaseNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The actor may see the family but not make this change.</summary>
public sealed class CaseForbiddenException : Exception
{
    public CaseForbiddenException()
        : base("You cannot make this change.")
    {
    }

    public CaseForbiddenException(string message)
        : base(message)
    {
    }

    public CaseForbiddenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Someone else changed the plan, action or case since it was read; nothing was saved.</summary>
public sealed class CaseConflictException : Exception
{
    public CaseConflictException()
        : base("Someone else changed this since you opened it. Your change was not saved: reload, check their change and try again.")
    {
    }

    public CaseConflictException(string message)
        : base(message)
    {
    }

    public CaseConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One problem with what was entered: the field it belongs to and what to do about it.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The input broke a rule; nothing was saved. Each error names its field, for inline messages.</summary>
public sealed class CaseValidationException : Exception
{
    public CaseValidationException()
        : this([])
    {
    }

    public CaseValidationException(string message)
        : this([new FieldError(string.Empty, message)])
    {
    }

    public CaseValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new FieldError(string.Empty, message)];
    }

    public CaseValidationException(IReadOnlyList<FieldError> errors)
        : base(errors is { Count: > 0 } ? string.Join(" ", errors.Select(e => e.Message)) : "The input is not valid.")
    {
        Errors = errors ?? [];
    }

    public CaseValidationException(string field, string message)
        : this([new FieldError(field, message)])
    {
    }

    public IReadOnlyList<FieldError> Errors { get; }
}
