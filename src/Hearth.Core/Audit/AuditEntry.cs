namespace Hearth.Core.Audit;

/// <summary>
/// One row of the append-only audit log: who did what to whose data, in which role, for what purpose, when.
/// It names the subject by its Hearth id or reference only and never copies record content (no names, dates
/// of birth or identifiers).
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Sequence number: 1, 2, 3, … with no gaps, assigned under a lock as the entry is appended.</summary>
    public long Id { get; set; }

    public DateTime OccurredUtc { get; set; }

    /// <summary>The user's id, or "system" for work Hearth does on its own (a scheduled import).</summary>
    public required string ActorId { get; set; }

    public required string ActorName { get; set; }

    /// <summary>The roles the actor held, comma separated.</summary>
    public required string ActorRoles { get; set; }

    /// <summary>What was done, e.g. "family.view", "plan.update", "claim.sign-off", "link.accept".</summary>
    public required string Action { get; set; }

    /// <summary>What kind of thing it was done to, e.g. "family", "person", "claim", "dataset".</summary>
    public required string SubjectType { get; set; }

    /// <summary>The subject's Hearth reference (e.g. "F0000789") or id; never a name or identifier.</summary>
    public string? SubjectId { get; set; }

    /// <summary>Why, e.g. "case-work", "allocation", "claim-audit", "linkage-review", "data-quality".</summary>
    public required string Purpose { get; set; }

    /// <summary>The outcome: "allowed", "denied" or "failed".</summary>
    public required string Outcome { get; set; }

    /// <summary>A short non-personal note, e.g. which fields changed ("status, due date").</summary>
    public string? Detail { get; set; }

    /// <summary>The request's client address, when there was one.</summary>
    public string? ClientAddress { get; set; }

    /// <summary>Ties together the entries of one request.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>The <see cref="RowHash"/> of the entry before (64 zeros for the first), hex.</summary>
    public string PrevHash { get; set; } = null!;

    /// <summary>SHA-256(prev hash ‖ canonical entry), hex; see <see cref="AuditChain"/>.</summary>
    public string RowHash { get; set; } = null!;
}
