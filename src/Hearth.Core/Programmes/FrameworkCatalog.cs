namespace Hearth.Core.Programmes;

/// <summary>
/// The frameworks in use and which family each applies to. Several can be active at once: a family follows the
/// framework its cohort is assigned to, otherwise the one in force on its attachment date (or the as-of date).
/// </summary>
public sealed class FrameworkCatalog
{
    private static readonly string[] ShippedFiles = ["troubled-families-2012.yaml", "troubled-families-2015.yaml", "supporting-families-2022.yaml"];
    private readonly Dictionary<string, Framework> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _cohorts = new(StringComparer.Ordinal);

    public FrameworkCatalog(IEnumerable<Framework> frameworks)
    {
        ArgumentNullException.ThrowIfNull(frameworks);
        foreach (var f in frameworks)
        {
            if (!_byId.TryAdd(f.Id, f))
            {
                throw new ArgumentException($"framework id '{f.Id}' is loaded twice", nameof(frameworks));
            }
        }
    }

    /// <summary>The frameworks shipped with Hearth, loaded from embedded rules files.</summary>
    public static FrameworkCatalog Shipped() => new(ShippedFiles.Select(LoadShipped));

    /// <summary>Loads one shipped rules file by file name (e.g. <c>supporting-families-2022.yaml</c>).</summary>
    public static Framework LoadShipped(string fileName) => FrameworkLoader.Load(SchoolTermCalendar.ReadResource(fileName), fileName);

    /// <summary>The shipped file names.</summary>
    public static IReadOnlyList<string> ShippedFileNames => ShippedFiles;

    public IEnumerable<Framework> All => _byId.Values.OrderBy(f => f.Effective.Start);

    public Framework this[string id] => _byId.TryGetValue(id, out var f)
        ? f
        : throw new KeyNotFoundException($"no framework '{id}' (known: {string.Join(", ", _byId.Keys.Order(StringComparer.Ordinal))})");

    /// <summary>Assigns every family in <paramref name="cohort"/> to the framework <paramref name="frameworkId"/>.</summary>
    public FrameworkCatalog AssignCohort(string cohort, string frameworkId)
    {
        _ = this[frameworkId];
        _cohorts[cohort] = frameworkId;
        return this;
    }

    /// <summary>The framework a family follows; explains why none does.</summary>
    public Framework For(ProgrammeFamily family, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (family.Cohort is { } cohort && _cohorts.TryGetValue(cohort, out var id))
        {
            return _byId[id];
        }

        var date = family.AttachmentDate ?? asOf;
        var candidates = _byId.Values.Where(f => f.Effective.Contains(date)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new InvalidOperationException($"family {family.FamilyId}: no framework is in force on {date:yyyy-MM-dd} and its cohort is not assigned"),
            _ => throw new InvalidOperationException($"family {family.FamilyId}: {string.Join(" and ", candidates.Select(c => c.Id))} are both in force on {date:yyyy-MM-dd}; assign its cohort"),
        };
    }
}
