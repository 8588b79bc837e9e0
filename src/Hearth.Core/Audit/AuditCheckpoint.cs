namespace Hearth.Core.Audit;

/// <summary>
/// A signed statement that the audit chain had <see cref="Sequence"/> entries ending in <see cref="HeadHash"/>
/// at <see cref="CreatedUtc"/>. The signature is an HMAC-SHA-256 under a key kept outside the database, so
/// whoever can rewrite the table (and recompute the chain) cannot produce a matching checkpoint.
/// </summary>
public sealed class AuditCheckpoint
{
    public long Id { get; set; }

    /// <summary>The sequence number of the last entry covered (the number of entries, as sequences start at 1).</summary>
    public long Sequence { get; set; }

    /// <summary>The row hash of entry <see cref="Sequence"/>, hex.</summary>
    public required string HeadHash { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>A short fingerprint of the key that signed it (first 16 hex of SHA-256 of the key).</summary>
    public required string KeyId { get; set; }

    /// <summary>HMAC-SHA-256 over the canonical checkpoint text, hex.</summary>
    public required string Signature { get; set; }
}
