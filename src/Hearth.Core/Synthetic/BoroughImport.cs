using Hearth.Core.Intake;

namespace Hearth.Core.Synthetic;

/// <summary>
/// Loads a generated borough into the store: each extract the generator writes, with the shipped mapping for
/// that agency's layout. This is what a council does with its own extracts, file by file, through the same
/// importer.
/// </summary>
public static class BoroughImport
{
    /// <summary>Each extract file (as <see cref="OutputFile.FileName"/>) and the shipped mapping's agency and kind.</summary>
    public static readonly IReadOnlyList<(string File, string Agency, string Kind)> Extracts =
    [
        ("schools_census.csv", "schools", "census"),
        ("schools_attendance.csv", "schools", "attendance"),
        ("schools_exclusions.csv", "schools", "exclusions"),
        ("police_offences.csv", "police", "offences"),
        ("police_asb.csv", "police", "asb"),
        ("police_domestic_abuse.csv", "police", "domestic-abuse"),
        ("youth_justice.csv", "youth_justice", "outcomes"),
        ("dwp_benefits.csv", "dwp", "benefits"),
        ("dwp_employment.csv", "dwp", "employment"),
        ("health_ae.csv", "health", "ae"),
        ("health_mental_health.csv", "health", "mental-health"),
        ("health_substance_misuse.csv", "health", "substance-misuse"),
        ("housing_tenancies.csv", "housing", "tenancies"),
        ("housing_arrears.csv", "housing", "arrears"),
        ("housing_homelessness.csv", "housing", "homelessness"),
        ("social_care_cin.csv", "social_care", "cin"),
        ("social_care_cp.csv", "social_care", "cp"),
        ("social_care_lac.csv", "social_care", "lac"),
        ("early_help.csv", "early_help", "referrals"),
    ];

    /// <summary>
    /// Imports every extract of the borough in <paramref name="boroughDirectory"/> in the order above.
    /// Re-running on the same files imports nothing new (each file's hash is already known).
    /// </summary>
    public static async Task<IReadOnlyList<(string Agency, string Kind, ImportResult Result)>> ImportAsync(
        IntakeService intake,
        string boroughDirectory,
        string importedBy,
        Action<string>? starting = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intake);
        var results = new List<(string, string, ImportResult)>();
        foreach (var (file, agency, kind) in Extracts)
        {
            var path = Path.Combine(boroughDirectory, "extracts", file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The borough in {boroughDirectory} has no extracts/{file}; generate it with 'hearth generate'.", path);
            }

            var mapping = MappingLoader.FindShipped(agency, kind)
                ?? throw new InvalidOperationException($"Hearth ships no mapping for agency '{agency}', kind '{kind}'.");
            starting?.Invoke(file);
            var result = await intake.ImportAsync(new ImportRequest(path, mapping, importedBy), cancellationToken: cancellationToken);
            results.Add((agency, kind, result));
        }

        return results;
    }
}
