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

/// <summary>
/// The audit trail that appends rows to <c>audit_entries</c>. The row's sequence number and hashes are
/// assigned when the context saves, under a lock (see <see cref="AuditChain"/>).
/// </summary>
public sealed class AuditTrail(TimeProvider clock) : IAuditTrail
{
    public void Record(HearthDb db, AuditEvent auditEvent, string? clientAddress = null, string? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(auditEvent);
        var now = clock.GetUtcNow().UtcDateTime;
        db.AppendAudit(new AuditEntry
        {
            // Whole microseconds: PostgreSQL keeps no finer, and the stored value must hash as it was hashed.
            OccurredUtc = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc),
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
