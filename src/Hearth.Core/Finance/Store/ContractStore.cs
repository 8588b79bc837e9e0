using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Finance.Store;

/// <summary>A stored contract, the contract as the engine takes it, and the engine's figures.</summary>
public sealed record StoredContract(OutcomeContractRow Row, OutcomeContract Contract, ContractResult Result);

/// <summary>
/// Outcome contracts kept in the store: created from a contract file (the rate card, drawdowns and outcomes it
/// holds or its rules generate), with more validated outcomes recorded later from CSV. Only data leads may
/// create contracts or record outcomes; each change is audited in the same transaction. The figures are always
/// computed by <see cref="ContractEngine"/> from the stored inputs.
/// </summary>
public sealed class ContractStore(HearthDb db, TimeProvider clock, IAuditTrail? audit = null)
{
    /// <summary>Roles that may create contracts and record outcomes.</summary>
    public static readonly IReadOnlySet<HearthRole> Writers = new HashSet<HearthRole> { HearthRole.DataLead };

    private IAuditTrail Audit => audit ?? new AuditTrail(clock);

    public Task<List<OutcomeContractRow>> ListAsync(CancellationToken cancellationToken = default) =>
        db.OutcomeContracts.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);

    /// <summary>Stores a loaded contract; refuses a name already stored.</summary>
    public async Task<OutcomeContractRow> CreateAsync(Actor actor, OutcomeContract contract, string sourceFile, string sourceSha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        await AuthoriseAsync(actor, "contract.create", null, cancellationToken);
        if (await db.OutcomeContracts.AnyAsync(c => c.Name == contract.Name, cancellationToken))
        {
            throw new FinanceInputException(sourceFile, 0, "name", $"a contract named '{contract.Name}' is already stored");
        }

        // Run once before writing, so a contract the engine cannot run is never stored.
        ContractEngine.Run(contract);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = new OutcomeContractRow
        {
            Name = contract.Name,
            Kind = contract.Kind == ContractKind.SocialImpactBond ? "sib" : "pbr",
            OutcomePayer = contract.OutcomePayer,
            Provider = contract.Provider,
            Investor = contract.Investor,
            Start = contract.Start,
            CommittedCapitalPence = contract.CommittedCapital.Pence,
            OutcomeCapPence = contract.OutcomeCap?.Pence,
            InvestorReturnCap = contract.InvestorReturnCap,
            InvestorShare = contract.InvestorShare,
            PassThroughProvider = contract.PassThrough?.Provider,
            PassThroughShare = contract.PassThrough?.Share,
            PassThroughRounding = contract.PassThrough is { } p ? (p.Rounding == ShareRounding.Down ? "down" : "nearest") : null,
            RuleNotes = contract.RuleNotes.Count == 0 ? null : string.Join('\n', contract.RuleNotes),
            SourceFile = Path.GetFileName(sourceFile),
            SourceSha256 = sourceSha256,
            CreatedUtc = now,
            CreatedBy = actor.UserName,
        };
        db.OutcomeContracts.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        var position = 0;
        foreach (var r in contract.RateCard)
        {
            db.ContractRateCards.Add(new ContractRateCardRow
            {
                ContractId = row.Id,
                Position = position++,
                MetricId = r.MetricId,
                Definition = r.Definition,
                PricePence = r.PricePerUnit.Pence,
                CapPence = r.Cap?.Pence,
                ValidationMethod = r.ValidationMethod,
                DataSource = r.DataSource,
                PriceDescription = r.PriceDescription,
            });
        }

        foreach (var d in contract.Drawdowns)
        {
            db.ContractDrawdowns.Add(new ContractDrawdownRow { ContractId = row.Id, Date = d.Date, AmountPence = d.Amount.Pence });
        }

        AddOutcomes(row.Id, contract.Outcomes, actor, now);
        Audit.Record(db, new AuditEvent(actor, "contract.create", "contract", row.Id.ToString(CultureInfo.InvariantCulture), "outcome-contracts", AuditOutcomes.Allowed,
            $"{row.Kind}; {contract.RateCard.Count} rate-card lines, {contract.Drawdowns.Count} drawdowns, {contract.Outcomes.Count} outcome lines"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return row;
    }

    /// <summary>Records validated outcomes for a stored contract; every metric must be on its rate card.</summary>
    public async Task<int> AddOutcomesAsync(Actor actor, long contractId, IReadOnlyList<(int Line, ValidatedOutcomes Outcome)> outcomes, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await AuthoriseAsync(actor, "contract.outcomes", contractId, cancellationToken);
        if (!await db.OutcomeContracts.AnyAsync(c => c.Id == contractId, cancellationToken))
        {
            throw new FinanceInputException(file, 0, "contract", $"there is no contract {contractId}");
        }

        var metrics = await db.ContractRateCards.Where(r => r.ContractId == contractId).Select(r => r.MetricId).ToListAsync(cancellationToken);
        foreach (var (line, o) in outcomes)
        {
            if (!metrics.Contains(o.MetricId, StringComparer.Ordinal))
            {
                throw new FinanceInputException(file, line, "metric", $"{o.MetricId} is not on the contract's rate card ({string.Join(", ", metrics)})");
            }
        }

        AddOutcomes(contractId, outcomes.Select(o => o.Outcome).ToList(), actor, clock.GetUtcNow().UtcDateTime);
        Audit.Record(db, new AuditEvent(actor, "contract.outcomes", "contract", contractId.ToString(CultureInfo.InvariantCulture), "outcome-contracts", AuditOutcomes.Allowed,
            $"{outcomes.Count} outcome lines from {Path.GetFileName(file)}"));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return outcomes.Count;
    }

    /// <summary>The stored contract with its computed figures, or null when there is none with this id.</summary>
    public async Task<StoredContract?> RunAsync(long id, CancellationToken cancellationToken = default)
    {
        var row = await db.OutcomeContracts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var rateCard = await db.ContractRateCards.AsNoTracking().Where(r => r.ContractId == id).OrderBy(r => r.Position).ToListAsync(cancellationToken);
        var drawdowns = await db.ContractDrawdowns.AsNoTracking().Where(d => d.ContractId == id).OrderBy(d => d.Date).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        var outcomes = await db.ContractOutcomes.AsNoTracking().Where(o => o.ContractId == id).OrderBy(o => o.Date).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        var contract = new OutcomeContract
        {
            Name = row.Name,
            Kind = row.Kind == "sib" ? ContractKind.SocialImpactBond : ContractKind.PaymentByResults,
            OutcomePayer = row.OutcomePayer,
            Provider = row.Provider,
            Investor = row.Investor,
            Start = row.Start,
            CommittedCapital = new Money(row.CommittedCapitalPence),
            OutcomeCap = row.OutcomeCapPence is { } cap ? new Money(cap) : null,
            InvestorReturnCap = row.InvestorReturnCap,
            InvestorShare = row.InvestorShare,
            PassThrough = row.PassThroughProvider is { } provider
                ? new PassThrough(provider, row.PassThroughShare ?? 0m, row.PassThroughRounding == "down" ? ShareRounding.Down : ShareRounding.Nearest)
                : null,
            RateCard = rateCard.Select(r => new RateCardEntry(r.MetricId, r.Definition, new Money(r.PricePence), r.CapPence is { } c ? new Money(c) : null,
                r.ValidationMethod, r.DataSource, r.PriceDescription)).ToList(),
            Drawdowns = drawdowns.Select(d => new Drawdown(d.Date, new Money(d.AmountPence))).ToList(),
            Outcomes = outcomes.Select(o => new ValidatedOutcomes(o.Date, o.MetricId, o.Count, o.Period, o.Evidence)).ToList(),
            RuleNotes = row.RuleNotes is { } notes ? notes.Split('\n') : [],
        };
        return new StoredContract(row, contract, ContractEngine.Run(contract));
    }

    private void AddOutcomes(long contractId, IEnumerable<ValidatedOutcomes> outcomes, Actor actor, DateTime now)
    {
        foreach (var o in outcomes)
        {
            db.ContractOutcomes.Add(new ContractOutcomeRow
            {
                ContractId = contractId,
                Date = o.Date,
                MetricId = o.MetricId,
                Count = o.Count,
                Period = o.Period.Length > 100 ? o.Period[..100] : o.Period,
                Evidence = o.Evidence.Length > 400 ? o.Evidence[..400] : o.Evidence,
                RecordedUtc = now,
                RecordedBy = actor.UserName,
            });
        }
    }

    private async Task AuthoriseAsync(Actor actor, string action, long? contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Roles.Overlaps(Writers))
        {
            return;
        }

        Audit.Record(db, new AuditEvent(actor, action, "contract", contractId?.ToString(CultureInfo.InvariantCulture), "outcome-contracts", AuditOutcomes.Denied,
            "role may not change outcome contracts"));
        await db.SaveChangesAsync(cancellationToken);
        throw new UnauthorizedAccessException("creating contracts and recording outcomes needs the DataLead role");
    }
}
