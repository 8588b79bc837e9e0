using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

internal static class LinkageTestData
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Linkage", "Data", file);

    public static LinkageTable FebrlA() => LinkageTable.ReadCsv(Path("febrl4a.csv"), "rec_id");

    public static LinkageTable FebrlB() => LinkageTable.ReadCsv(Path("febrl4b.csv"), "rec_id");

    /// <summary>A small table: columns name, dob, nhs.</summary>
    public static LinkageTable People(params (string Id, string? Name, string? Dob, string? Nhs)[] rows) =>
        new("people", [.. rows.Select(r => r.Id)], new Dictionary<string, string?[]>(StringComparer.Ordinal)
        {
            ["name"] = [.. rows.Select(r => r.Name)],
            ["dob"] = [.. rows.Select(r => r.Dob)],
            ["nhs"] = [.. rows.Select(r => r.Nhs)],
        });

    public static LinkageSettings Settings(IReadOnlyList<IReadOnlyList<string>>? blocking = null, IReadOnlyList<string>? guard = null) => new()
    {
        Columns = new Dictionary<string, ColumnType>(StringComparer.Ordinal)
        {
            ["name"] = ColumnType.Name,
            ["dob"] = ColumnType.Date,
            ["nhs"] = ColumnType.NhsNumber,
        },
        Comparisons =
        [
            new ComparisonSettings
            {
                Name = "name",
                Field = "name",
                Levels = [new LevelSpec(LevelKind.Exact), new LevelSpec(LevelKind.JaroWinkler, 0.88)],
                TermFrequency = true,
            },
            new ComparisonSettings
            {
                Name = "dob",
                Field = "dob",
                Levels = [new LevelSpec(LevelKind.Exact), new LevelSpec(LevelKind.SwappedDayMonth), new LevelSpec(LevelKind.WithinYears, 1)],
            },
            new ComparisonSettings
            {
                Name = "nhs",
                Field = "nhs",
                Levels = [new LevelSpec(LevelKind.Exact), new LevelSpec(LevelKind.Transposed)],
            },
        ],
        Blocking = blocking ?? [["name:prefix1"]],
        MustNotConflict = guard ?? [],
        Training = new TrainingSettings { USamplePairs = 2000, Seed = 3 },
    };
}
