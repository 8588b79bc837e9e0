using System.Globalization;
using System.Text;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;

namespace Hearth.Core.Programmes;

/// <summary>Thrown when an actor may not do what they asked; the refusal is in the audit log.</summary>
public sealed class ProgrammeAccessDeniedException(string message) : Exception(message);

/// <summary>One family's identification from the store, with the plain-words explanation.</summary>
public sealed record StoredIdentification(long FamilyId, IdentificationResult Result)
{
    /// <summary>The family as the engine read it (members with role and date of birth); set by <see cref="IdentificationService.ExplainFamilyAsync"/>.</summary>
    public ProgrammeFamily? Family { get; init; }

    /// <summary>Raised needs as "headline/need (member or household)" pairs, for lists and CSV.</summary>
    public IEnumerable<(string Headline, string Need, string? Member, string Indicator)> RaisedNeeds =>
        Result.RaisedNeeds.SelectMany(n => n.Members.Where(m => m.Truth == Truth.True)
            .Select(m => (n.Need.HeadlineId, n.Need.Id, m.PersonId, n.Need.EligibilityText)));

    /// <summary>Why the family is not eligible: the identification rule's failing parts, or the missing data.</summary>
    public string WhyNot => Result.Eligible switch
    {
        Truth.True => string.Empty,
        Truth.Unknown => "unknown: " + (Result.UnknownReason ?? "data missing"),
        _ => string.Join("; ", Result.RuleEvidence.Where(e => e.Outcome == Truth.False && e.Kind == EvidenceKind.Test)
                .Select(e => $"{e.Expression} = {e.Value} (needs {e.Comparison} {e.Threshold})").DefaultIfEmpty($"{Result.RaisedNeeds.Count()} needs raised")),
    };
}

/// <summary>Counts from one identification run over the store.</summary>
public sealed record IdentificationSummary(string FrameworkId, DateOnly AsOf, long Families, long Eligible, long Unknown, StoreReadReport Read, ProgrammeDataCoverage Coverage);

/// <summary>
/// Identification on the store for the web app and the CLI: which families a framework finds eligible on a date,
/// with the need, member, indicator, events and period behind each, and why the others are not. Only data leads,
/// team managers and administrators may run it over the whole store; every run is in the audit log (counts only,
/// never a person's details).
/// </summary>
public sealed class IdentificationService(HearthDbFactory factory, IAuditTrail audit, ProgrammeEngine engine)
{
    public const string Purpose = "programme_identification";

    internal static readonly HearthRole[] MayIdentify = [HearthRole.DataLead, HearthRole.TeamManager, HearthRole.Administrator];

    public IdentificationService(HearthDbFactory factory, IAuditTrail audit)
        : this(factory, audit, new ProgrammeEngine())
    {
    }

    /// <summary>
    /// Identifies every family in the store (or <paramref name="onlyFamilies"/>), handing each batch's results to
    /// <paramref name="onBatch"/> so callers can stream them to a file.
    /// </summary>
    public async Task<IdentificationSummary> IdentifyAsync(
        Actor actor,
        Framework framework,
        DateOnly asOf,
        Action<IReadOnlyList<StoredIdentification>> onBatch,
        IReadOnlyCollection<long>? onlyFamilies = null,
        int batchSize = 2_000,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        return await IdentifyAsync(actor, framework, asOf, (batch, _) =>
        {
            onBatch(batch);
            return Task.CompletedTask;
        }, onlyFamilies, batchSize, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Identifies every family in the store (or <paramref name="onlyFamilies"/>), awaiting <paramref name="onBatch"/>
    /// with each batch's results so callers can store them as they go.
    /// </summary>
    public async Task<IdentificationSummary> IdentifyAsync(
        Actor actor,
        Framework framework,
        DateOnly asOf,
        Func<IReadOnlyList<StoredIdentification>, CancellationToken, Task> onBatch,
        IReadOnlyCollection<long>? onlyFamilies = null,
        int batchSize = 2_000,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(onBatch);
        await using var db = factory.Create();
        if (!MayIdentify.Any(actor.Is))
        {
            audit.Record(db, new AuditEvent(actor, "programme.identify", "framework", framework.Id, Purpose, AuditOutcomes.Denied));
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            throw new ProgrammeAccessDeniedException($"{actor.UserName} may not run identification: it needs the DataLead, TeamManager or Administrator role");
        }

        var reader = new StoreFamilyReader(db, batchSize);
        var coverage = await reader.CoverageAsync(ct).ConfigureAwait(false);
        long families = 0, eligible = 0, unknown = 0;
        await foreach (var batch in reader.ReadAsync(coverage, asOf, framework.Scheme, onlyFamilies, ct).ConfigureAwait(false))
        {
            var results = new StoredIdentification[batch.Count];
            Parallel.For(0, batch.Count, i => results[i] = new StoredIdentification(batch[i].FamilyId, engine.Identify(framework, batch[i].Data, asOf)));
            families += results.Length;
            eligible += results.Count(r => r.Result.Eligible == Truth.True);
            unknown += results.Count(r => r.Result.Eligible == Truth.Unknown);
            await onBatch(results, ct).ConfigureAwait(false);
        }

        audit.Record(db, new AuditEvent(actor, "programme.identify", "framework", framework.Id, Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"as of {asOf:yyyy-MM-dd}: {families} families read, {eligible} eligible, {unknown} unknown")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new IdentificationSummary(framework.Id, asOf, families, eligible, unknown, reader.Report, coverage);
    }

    /// <summary>One family's identification with its full explanation (a read of that family's data, audited).</summary>
    public async Task<StoredIdentification?> ExplainFamilyAsync(Actor actor, Framework framework, string familyReference, DateOnly asOf, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(framework);
        await using var db = factory.Create();
        var id = db.Families.Where(f => f.Reference == familyReference).Select(f => (long?)f.Id).FirstOrDefault();
        var allowed = MayIdentify.Any(actor.Is) || actor.Is(HearthRole.Auditor);
        audit.Record(db, new AuditEvent(actor, "programme.explain", "family", familyReference, Purpose, allowed ? AuditOutcomes.Allowed : AuditOutcomes.Denied));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        if (!allowed)
        {
            throw new ProgrammeAccessDeniedException($"{actor.UserName} may not read identification evidence");
        }

        if (id is null)
        {
            return null;
        }

        var reader = new StoreFamilyReader(db);
        var coverage = await reader.CoverageAsync(ct).ConfigureAwait(false);
        await foreach (var batch in reader.ReadAsync(coverage, asOf, framework.Scheme, [id.Value], ct).ConfigureAwait(false))
        {
            return batch.Select(f => new StoredIdentification(f.FamilyId, engine.Identify(framework, f.Data, asOf)) { Family = f.Data.Family }).FirstOrDefault();
        }

        return null;
    }

    /// <summary>The CSV header of <see cref="WriteCsvRows"/>.</summary>
    public const string CsvHeader = "family,framework,as_of,eligible,needs_raised,headlines_raised,needs,why_not";

    /// <summary>One row per family: the decision, the raised needs as headline/need@member and why not.</summary>
    public static void WriteCsvRows(TextWriter writer, IEnumerable<StoredIdentification> results)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(results);
        foreach (var r in results)
        {
            var needs = string.Join(';', r.RaisedNeeds.Select(n => $"{n.Headline}/{n.Need}@{n.Member ?? "household"}"));
            writer.Write(Csv(r.Result.FamilyId));
            writer.Write(',');
            writer.Write(Csv(r.Result.Framework.Id));
            writer.Write(',');
            writer.Write(r.Result.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(r.Result.Eligible switch { Truth.True => "yes", Truth.False => "no", _ => "unknown" });
            writer.Write(',');
            writer.Write(r.Result.RaisedNeeds.Count().ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(r.Result.Headlines.Count(h => h.Value == Truth.True).ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Csv(needs));
            writer.Write(',');
            writer.Write(Csv(r.WhyNot));
            writer.Write('\n');
        }
    }

    internal static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>A short per-family explanation: each raised need with member, indicator, evidence and period.</summary>
    public static string Describe(StoredIdentification r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{r.Result.FamilyId}: {r.Result.Eligible switch { Truth.True => "eligible", Truth.False => "not eligible", _ => "unknown" }}");
        if (r.Result.Eligible != Truth.True)
        {
            sb.Append(" — ").Append(r.WhyNot);
        }

        sb.Append('\n');
        foreach (var n in r.Result.RaisedNeeds)
        {
            foreach (var m in n.Members.Where(m => m.Truth == Truth.True))
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {n.Need.HeadlineId}/{n.Need.Id} ({(m.PersonId is null ? "household" : "member " + m.PersonId)}): {n.Need.EligibilityText}\n");
                foreach (var e in m.Evidence.Where(e => e.Kind == EvidenceKind.Aggregate && e.Outcome != Truth.False && (e.Events.Count > 0 || e.Value != "0")))
                {
                    var sources = string.Join(", ", e.Events.Take(8).Select(x => "dataset " + x.Source.DatasetId + " row " + x.Source.Row.ToString(CultureInfo.InvariantCulture)));
                    sb.Append(CultureInfo.InvariantCulture, $"    {e.Expression} = {e.Value}, {e.Period}{(sources.Length > 0 ? " — " + sources : string.Empty)}{(e.Events.Count > 8 ? $" and {e.Events.Count - 8} more" : string.Empty)}\n");
                }
            }
        }

        return sb.ToString();
    }
}
