using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Intake;

/// <summary>How many records carry a value for one field.</summary>
public sealed record FieldCompleteness(string Field, int Present, int Total)
{
    /// <summary>Share of records with a value, 0–100; 0 when there are no records.</summary>
    public double Percent => Total == 0 ? 0 : 100.0 * Present / Total;
}

/// <summary>A range of calendar years, both ends included.</summary>
public readonly record struct YearRange(int Earliest, int Latest);

/// <summary>Data quality of one dataset (one imported file).</summary>
public sealed record DatasetQuality
{
    public required long DatasetId { get; init; }

    public required string Kind { get; init; }

    public required string FileName { get; init; }

    public DateTime? ImportedUtc { get; init; }

    public int RowsRead { get; init; }

    public int RowsStored { get; init; }

    public int RowsQuarantined { get; init; }

    public int RowsDuplicate { get; init; }

    public int RowsWithWarnings { get; init; }

    /// <summary>Event dates covered (inclusive), null for person-only extracts.</summary>
    public DatePeriod? EventDates { get; init; }

    /// <summary>
    /// Earliest and latest year of birth among the people in the dataset (years only: the exact dates would be
    /// the dates of birth of the oldest and youngest person).
    /// </summary>
    public YearRange? BirthYears { get; init; }

    /// <summary>Distinct source records (people as the agency sees them) the dataset's rows refer to.</summary>
    public int People { get; init; }

    /// <summary>Completeness of each identifier and of date of birth among those people.</summary>
    public IReadOnlyList<FieldCompleteness> Completeness { get; init; } = [];

    /// <summary>Invalid identifier values found, by field (e.g. nhs_number → 3).</summary>
    public IReadOnlyDictionary<string, int> InvalidIdentifiers { get; init; } = new Dictionary<string, int>();

    /// <summary>All issues by code.</summary>
    public IReadOnlyDictionary<string, int> IssuesByCode { get; init; } = new Dictionary<string, int>();
}

/// <summary>Data quality of one agency: its people overall and each dataset.</summary>
public sealed record AgencyQuality
{
    public required string AgencyId { get; init; }

    public required string Name { get; init; }

    public int SourceRecords { get; init; }

    public IReadOnlyList<FieldCompleteness> Completeness { get; init; } = [];

    public IReadOnlyList<DatasetQuality> Datasets { get; init; } = [];
}

/// <summary>
/// The data quality report: for each agency and each of its datasets, completeness of each identifier,
/// invalid identifier counts, date ranges, duplicates and quarantine counts. Shown by <c>hearth quality</c>
/// and the web app.
/// </summary>
public sealed class QualityReportService(HearthDb db)
{
    public async Task<IReadOnlyList<AgencyQuality>> ReportAsync(string? agencyId = null, CancellationToken cancellationToken = default)
    {
        var agencies = await db.Agencies.AsNoTracking()
            .Where(a => agencyId == null || a.Id == agencyId)
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var result = new List<AgencyQuality>();
        foreach (var agency in agencies)
        {
            var records = db.SourceRecords.Where(s => s.AgencyId == agency.Id);
            var (total, completeness, _) = await CompletenessAsync(records, cancellationToken);
            var datasets = await db.Datasets.AsNoTracking()
                .Where(d => d.AgencyId == agency.Id && d.Status == DatasetStatus.Completed)
                .OrderBy(d => d.Id)
                .ToListAsync(cancellationToken);
            var datasetReports = new List<DatasetQuality>();
            foreach (var dataset in datasets)
            {
                datasetReports.Add(await DatasetAsync(dataset, cancellationToken));
            }

            result.Add(new AgencyQuality
            {
                AgencyId = agency.Id,
                Name = agency.Name,
                SourceRecords = total,
                Completeness = completeness,
                Datasets = datasetReports,
            });
        }

        return result;
    }

    private async Task<DatasetQuality> DatasetAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        var id = dataset.Id;
        var records = dataset.EventType == EventTypes.Person
            ? db.SourceRecords.Where(s => s.DatasetId == id)
            : db.SourceRecords.Where(s => db.Events.Where(e => e.DatasetId == id).Select(e => e.SourceRecordId).Contains(s.Id));
        var (people, completeness, births) = await CompletenessAsync(records, cancellationToken);
        var byCode = await db.ImportIssues.Where(i => i.DatasetId == id)
            .GroupBy(i => i.Code)
            .Select(g => new { Code = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Code, x => x.Count, StringComparer.Ordinal, cancellationToken);
        var invalid = await db.ImportIssues.Where(i => i.DatasetId == id && i.Code == "invalid_identifier" && i.Field != null)
            .GroupBy(i => i.Field!)
            .Select(g => new { Field = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Field, x => x.Count, StringComparer.Ordinal, cancellationToken);
        return new DatasetQuality
        {
            DatasetId = id,
            Kind = dataset.Kind,
            FileName = dataset.FileName,
            ImportedUtc = dataset.CompletedUtc,
            RowsRead = dataset.RowsRead,
            RowsStored = dataset.RowsStored,
            RowsQuarantined = dataset.RowsQuarantined,
            RowsDuplicate = dataset.RowsDuplicate,
            RowsWithWarnings = dataset.RowsWithWarnings,
            EventDates = dataset.PeriodStart is { } s && dataset.PeriodEnd is { } e ? new DatePeriod(s, e) : null,
            BirthYears = births is { } b ? new YearRange(b.Start.Year, b.End.Year) : null,
            People = people,
            Completeness = completeness,
            InvalidIdentifiers = invalid,
            IssuesByCode = byCode,
        };
    }

    private static async Task<(int Total, IReadOnlyList<FieldCompleteness> Fields, DatePeriod? Births)> CompletenessAsync(
        IQueryable<SourceRecord> records, CancellationToken cancellationToken)
    {
        var stats = await records
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Total = g.Count(),
                Dob = g.Count(s => s.DateOfBirth != null),
                Nhs = g.Count(s => s.NhsNumber != null),
                Nino = g.Count(s => s.Nino != null),
                Upn = g.Count(s => s.Upn != null),
                Uprn = g.Count(s => s.Uprn != null),
                Postcode = g.Count(s => s.Postcode != null),
                MinDob = g.Min(s => s.DateOfBirth),
                MaxDob = g.Max(s => s.DateOfBirth),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (stats is null)
        {
            return (0, [], null);
        }

        IReadOnlyList<FieldCompleteness> fields =
        [
            new("date_of_birth", stats.Dob, stats.Total),
            new("nhs_number", stats.Nhs, stats.Total),
            new("nino", stats.Nino, stats.Total),
            new("upn", stats.Upn, stats.Total),
            new("uprn", stats.Uprn, stats.Total),
            new("postcode", stats.Postcode, stats.Total),
        ];
        var births = stats.MinDob is { } min && stats.MaxDob is { } max ? new DatePeriod(min, max) : (DatePeriod?)null;
        return (stats.Total, fields, births);
    }
}
