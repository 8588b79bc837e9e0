using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Web.Infrastructure;

/// <summary>What the store holds, as counts only (no personal data), for the home page.</summary>
public sealed record StoreSummary(string Store, int Agencies, int Datasets, long SourceRecords, long Events, long QuarantinedRows, DateTime? LastImportUtc);

public sealed class StoreSummaryQuery(HearthDb db, HearthDatabaseOptions database)
{
    public async Task<StoreSummary> RunAsync(CancellationToken cancellationToken)
    {
        var datasets = await db.Datasets.AsNoTracking().Select(d => d.CompletedUtc ?? d.StartedUtc).ToListAsync(cancellationToken);
        return new StoreSummary(
            database.Describe(),
            await db.Agencies.CountAsync(cancellationToken),
            datasets.Count,
            await db.SourceRecords.LongCountAsync(cancellationToken),
            await db.Events.LongCountAsync(cancellationToken),
            await db.QuarantinedRows.LongCountAsync(cancellationToken),
            datasets.Count == 0 ? null : datasets.Max());
    }
}
