using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance.UnitCosts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Finance.Store;

/// <summary>A local unit cost to add or change: every figure says where it came from and when.</summary>
public sealed record LocalCostInput(
    string Code,
    string Description,
    string Unit,
    string AgencyL1,
    Money? Fiscal,
    PriceYear? FiscalYear,
    string Source,
    DateOnly SourceDate,
    string? AgencyL2 = null,
    string? Category = null,
    Money? Economic = null,
    PriceYear? EconomicYear = null,
    Money? Social = null,
    PriceYear? SocialYear = null,
    bool IsTransferPayment = false,
    string? Rag = null);

/// <summary>
/// Local unit costs kept in the store, and the unit cost database (UCD v1.4 plus them) the money features use.
/// Only data leads may add or change a local cost; every change (and every refusal) is written to the audit log
/// in the same transaction, and the row keeps who created and last changed it, and when.
/// </summary>
public sealed class LocalCostStore(HearthDb db, TimeProvider clock, IAuditTrail? audit = null)
{
    public const string StoreEdition = "local (Hearth store)";

    /// <summary>Roles that may add or change local costs.</summary>
    public static readonly IReadOnlySet<HearthRole> Writers = new HashSet<HearthRole> { HearthRole.DataLead };

    private IAuditTrail Audit => audit ?? new AuditTrail(clock);

    /// <summary>UCD v1.4 with every local cost in the store added.</summary>
    public async Task<UnitCostDatabase> CatalogueAsync(CancellationToken cancellationToken = default)
    {
        var ucd = UnitCostDatabase.UcdV14();
        var local = await db.LocalUnitCosts.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return local.Count == 0
            ? ucd
            : new UnitCostDatabase(ucd.Costs.Concat(local.Select(ToUnitCost)), ucd.Editions.Append($"{local.Count} local costs from the store"));
    }

    public Task<List<LocalUnitCost>> ListAsync(CancellationToken cancellationToken = default) =>
        db.LocalUnitCosts.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken);

    /// <summary>The local cost with this code, or null.</summary>
    public Task<LocalUnitCost?> FindAsync(string code, CancellationToken cancellationToken = default)
    {
        var key = (code ?? string.Empty).Trim();
        return db.LocalUnitCosts.AsNoTracking().FirstOrDefaultAsync(c => c.Code == key, cancellationToken);
    }

    /// <summary>Adds a local cost, or changes the one with the same code; refuses a code UCD v1.4 already uses.</summary>
    public Task<LocalUnitCost> SaveAsync(Actor actor, LocalCostInput input, CancellationToken cancellationToken = default) =>
        SaveAsync(actor, input, mustBeNew: false, cancellationToken);

    /// <summary>
    /// Saves a local cost as <see cref="SaveAsync(Actor, LocalCostInput, CancellationToken)"/>; with
    /// <paramref name="mustBeNew"/> a code already in the store is refused too (so an add never overwrites).
    /// </summary>
    public async Task<LocalUnitCost> SaveAsync(Actor actor, LocalCostInput input, bool mustBeNew, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        if (!actor.Roles.Overlaps(Writers))
        {
            Audit.Record(db, new AuditEvent(actor, "local-cost.save", "local-cost", Truncate(input.Code), "unit-costs", AuditOutcomes.Denied, "role may not change local costs"));
            await db.SaveChangesAsync(cancellationToken);
            throw new UnauthorizedAccessException("adding or changing a local cost needs the DataLead role");
        }

        Check(input);
        if (UnitCostDatabase.UcdV14().Find(input.Code) is not null)
        {
            throw new FinanceInputException("local cost", 0, "code", $"{input.Code} is already a code in {UnitCostDatabase.UcdEdition}; give the local cost its own code");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.LocalUnitCosts.FirstOrDefaultAsync(c => c.Code == input.Code.Trim(), cancellationToken);
        var created = row is null;
        if (row is not null && mustBeNew)
        {
            throw new FinanceInputException("local cost", 0, "code", $"there is already a local cost {row.Code}; change that one instead");
        }

        if (row is null)
        {
            row = new LocalUnitCost
            {
                Code = input.Code.Trim(),
                Description = input.Description,
                Unit = input.Unit,
                AgencyL1 = input.AgencyL1,
                Source = input.Source,
                CreatedUtc = now,
                CreatedBy = actor.UserName,
            };
            db.LocalUnitCosts.Add(row);
        }
        else
        {
            row.UpdatedUtc = now;
            row.UpdatedBy = actor.UserName;
        }

        row.Description = input.Description.Trim();
        row.Unit = input.Unit.Trim();
        row.AgencyL1 = input.AgencyL1.Trim();
        row.AgencyL2 = input.AgencyL2;
        row.Category = input.Category;
        row.FiscalPence = input.Fiscal?.Pence;
        row.FiscalYear = input.FiscalYear?.StartYear;
        row.EconomicPence = input.Economic?.Pence;
        row.EconomicYear = input.EconomicYear?.StartYear;
        row.SocialPence = input.Social?.Pence;
        row.SocialYear = input.SocialYear?.StartYear;
        row.IsTransferPayment = input.IsTransferPayment;
        row.Rag = input.Rag;
        row.Source = input.Source.Trim();
        row.SourceDate = input.SourceDate;
        Audit.Record(db, new AuditEvent(actor, created ? "local-cost.create" : "local-cost.update", "local-cost", row.Code, "unit-costs", AuditOutcomes.Allowed,
            $"values in pence: fiscal {row.FiscalPence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, economic {row.EconomicPence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, social {row.SocialPence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"));
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    public static UnitCost ToUnitCost(LocalUnitCost c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new UnitCost
        {
            Code = c.Code,
            Edition = StoreEdition,
            Category = c.Category ?? "LOCAL",
            Description = c.Description,
            Unit = c.Unit,
            AgencyL1 = c.AgencyL1,
            AgencyL2 = c.AgencyL2 ?? string.Empty,
            Fiscal = Value(c.FiscalPence, c.FiscalYear),
            Economic = Value(c.EconomicPence, c.EconomicYear),
            Social = Value(c.SocialPence, c.SocialYear),
            Rag = c.Rag ?? string.Empty,
            IsTransferPayment = c.IsTransferPayment,
            TransferReason = c.IsTransferPayment ? "marked as a transfer payment when the local cost was recorded" : string.Empty,
            Source = c.Source,
            SourceDate = c.SourceDate,
        };
    }

    private static string Truncate(string? code)
    {
        var t = (code ?? string.Empty).Trim();
        return t.Length > 50 ? t[..50] : t;
    }

    private static UnitCostValue? Value(long? pence, int? year) =>
        pence is { } p && year is { } y ? new UnitCostValue(new Money(p), new PriceYear(y), null, null) : null;

    private static void Check(LocalCostInput input)
    {
        void Require(string? value, string field, string reason)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new FinanceInputException("local cost", 0, field, reason);
            }
        }

        Require(input.Code, "code", "a code is required");
        if (input.Code.Trim().Length > 50)
        {
            throw new FinanceInputException("local cost", 0, "code", "a code has at most 50 characters");
        }

        Require(input.Description, "description", "a description is required");
        Require(input.Unit, "unit", "a unit is required (e.g. Per week)");
        Require(input.AgencyL1, "agency_l1", "say which agency bears the cost");
        Require(input.Source, "source", "say where the cost comes from (document, team)");
        if (input.Fiscal is null && input.Economic is null && input.Social is null)
        {
            throw new FinanceInputException("local cost", 0, "fiscal_value", "at least one of fiscal, economic or social value is required");
        }

        foreach (var (value, year, field) in new[] { (input.Fiscal, input.FiscalYear, "fiscal"), (input.Economic, input.EconomicYear, "economic"), (input.Social, input.SocialYear, "social") })
        {
            if (value is { } v && (v.Pence < 0 || year is null))
            {
                throw new FinanceInputException("local cost", 0, field + "_value", v.Pence < 0 ? "a value cannot be negative" : $"give the price year of the {field} value");
            }
        }
    }
}
