using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Finance.Profiles;

/// <summary>
/// Family cost profiles for the web and other callers that act for a user: each call takes the
/// <see cref="Actor"/> and a purpose, is authorised (analysts, data leads and team managers may read costs;
/// others are refused) and writes an audit entry naming the family reference (never a person's details).
/// </summary>
public sealed class FamilyCostService(HearthDb db, IAuditTrail audit, TimeProvider clock)
{
    /// <summary>Roles that may read family cost profiles.</summary>
    public static readonly IReadOnlySet<HearthRole> Readers = new HashSet<HearthRole> { HearthRole.Analyst, HearthRole.DataLead, HearthRole.TeamManager };

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The engine with the default configuration over UCD v1.4 and the store's local costs.</summary>
    public async Task<CostProfileEngine> EngineAsync(CancellationToken cancellationToken = default)
    {
        var costs = await new LocalCostStore(db, clock).CatalogueAsync(cancellationToken);
        return new CostProfileEngine(CostProfileConfig.Default(costs, GdpDeflator.UcdV14()));
    }

    /// <summary>
    /// One family's profile, or null when there is no family with that reference. Without
    /// <paramref name="attachDate"/> the costs are split at the family's stored attachment date
    /// (<see cref="AttachmentDates"/>: programme attachment, else case allocation); the date given overrides it.
    /// </summary>
    public async Task<FamilyCostProfile?> ProfileAsync(Actor actor, string familyReference, string purpose, PriceYear? year = null, DateOnly? attachDate = null, CostProfileEngine? engine = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await AuthoriseAsync(actor, "family-cost-profile.read", "family", familyReference, purpose, cancellationToken);
        engine ??= await EngineAsync(cancellationToken);
        attachDate ??= (await AttachmentDates.LoadAsync(db, familyReference, cancellationToken)).GetValueOrDefault(familyReference)?.Date;
        var query = new CostProfileQuery
        {
            FamilyReference = familyReference,
            Year = year,
            Attachments = attachDate is { } a ? new Dictionary<string, DateOnly>(StringComparer.Ordinal) { [familyReference] = a } : new Dictionary<string, DateOnly>(StringComparer.Ordinal),
        };
        FamilyCostProfile? found = null;
        await foreach (var profile in CostProfileReader.ProfilesAsync(db, engine, query, Today, cancellationToken))
        {
            found = profile;
        }

        audit.Record(db, new AuditEvent(actor, "family-cost-profile.read", "family", familyReference, purpose,
            found is null ? AuditOutcomes.Failed : AuditOutcomes.Allowed, found is null ? "no such family" : $"{found.Lines.Count} cost lines"));
        await db.SaveChangesAsync(cancellationToken);
        return found;
    }

    /// <summary>
    /// The cohort report over every family (or those with attachment dates only). Without
    /// <paramref name="attachments"/> each family is split at its stored attachment date (<see cref="AttachmentDates"/>).
    /// </summary>
    public async Task<CohortReport> CohortAsync(Actor actor, string purpose, PriceYear? year = null, int top = 20,
        IReadOnlyDictionary<string, DateOnly>? attachments = null, bool attachedOnly = false, CostProfileEngine? engine = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await AuthoriseAsync(actor, "family-cost-cohort.read", "cohort", null, purpose, cancellationToken);
        engine ??= await EngineAsync(cancellationToken);
        var builder = new CohortBuilder(top, engine.Config.PriceYear);
        attachments ??= (await AttachmentDates.LoadAsync(db, cancellationToken: cancellationToken)).ToDictionary(d => d.Key, d => d.Value.Date, StringComparer.Ordinal);
        var query = new CostProfileQuery { Year = year, Attachments = attachments, KeepEventIds = false };
        await foreach (var profile in CostProfileReader.ProfilesAsync(db, engine, query, Today, cancellationToken))
        {
            if (!attachedOnly || profile.AttachDate is not null)
            {
                builder.Add(profile);
            }
        }

        var report = builder.Build();
        audit.Record(db, new AuditEvent(actor, "family-cost-cohort.read", "cohort", null, purpose, AuditOutcomes.Allowed,
            $"{report.Families} families; top {report.Top.Count} listed by reference"));
        await db.SaveChangesAsync(cancellationToken);
        return report;
    }

    private async Task AuthoriseAsync(Actor actor, string action, string subjectType, string? subjectId, string purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(purpose))
        {
            throw new ArgumentException("a purpose is required", nameof(purpose));
        }

        if (actor.Roles.Overlaps(Readers))
        {
            return;
        }

        audit.Record(db, new AuditEvent(actor, action, subjectType, subjectId, purpose, AuditOutcomes.Denied, "role may not read family costs"));
        await db.SaveChangesAsync(cancellationToken);
        throw new UnauthorizedAccessException("reading family costs needs the Analyst, DataLead or TeamManager role");
    }
}
