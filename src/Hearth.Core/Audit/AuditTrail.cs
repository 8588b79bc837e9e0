using Hearth.Core.Access;
using Hearth.Core.Data;

namespace Hearth.Core.Audit;

/// <summary>Something done to a person's or family's data, to be written to the audit log.</summary>
public sealed record AuditEvent(
    Actor Actor,
    string Action,
    string SubjectType,
    string? SubjectId,
    string Purpose,
    string Outcome = AuditOutcomes.Allowed,
    string? Detail = null);

/// <summary>Outcome values of an audit entry.</summary>
public static class AuditOutcomes
{
    public const string Allowed = "allowed";

    public const string Denied = "denied";

    public const string Failed = "failed";
}

/// <summary>
/// Writes audit entries into the same <see cref="HearthDb"/> (and so the same transaction) as the work they
/// record: the entry is saved with the change, or neither is.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Adds the entry to <paramref name="db"/>; it is written by the caller's next SaveChanges.</summary>
    void Record(HearthDb db, AuditEvent auditEvent, string? clientAddress = null, string? correlationId = null);
}

/// <summary>The audit trail that appends plain rows to <c>audit_entries</c>.</summary>
public sealed class AuditTrail(TimeProvider clock) : IAuditTrail
{
    public void Record(HearthDb db, AuditEvent auditEvent, string? clientAddress = null, string? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(auditEvent);
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredUtc = clock.GetUtcNow().UtcDateTime,
            ActorId = auditEvent.Actor.UserId,
            ActorName = auditEvent.Actor.UserName,
            ActorRoles = string.Join(',', auditEvent.Actor.Roles.Order()),
            Action = auditEvent.Action,
            SubjectType = auditEvent.SubjectType,
            SubjectId = auditEvent.SubjectId,
            Purpose = auditEvent.Purpose,
            Outcome = auditEvent.Outcome,
            Detail = auditEvent.Detail,
            ClientAddress = clientAddress,
            CorrelationId = correlationId,
        });
    }
}
