using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hearth.Core.Synthetic;

/// <summary>What a generation run wrote.</summary>
public sealed record GenerationResult(
    string OutputDirectory,
    IReadOnlyDictionary<string, long> RowCounts,
    long Households,
    long People,
    long CohortFamilies,
    long TreatedFamilies);

/// <summary>
/// Generates the synthetic borough: extracts under <c>extracts/</c>, ground truth under <c>truth/</c> and a
/// <c>manifest.json</c>. Households are simulated in batches (in parallel within a batch, each from its own
/// seeded stream) and written in household order as each batch completes, so output is byte-identical for the
/// same settings whatever the machine, and memory holds one batch, not the borough.
/// </summary>
public static class BoroughGenerator
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs the generator. <paramref name="progress"/> receives the number of households written so far.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (the message lists every problem).</exception>
    /// <exception cref="IOException">The output directory cannot be created or written.</exception>
    public static GenerationResult Generate(GeneratorSettings settings, string outputDirectory, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(settings));
        }

        var root = Path.GetFullPath(outputDirectory);
        var writers = OpenWriters(root);
        var counts = new long[OutputFiles.All.Count];
        long people = 0, cohort = 0, treated = 0;
        try
        {
            var names = NameData.Shared;
            var borough = new Borough(settings.Households);
            var simulator = new HouseholdSimulator(settings, borough, names);
            var writer = new HouseholdWriter(settings, names);
            var batchSize = Math.Max(1, settings.BatchSize);
            var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            HouseholdOutput[] Simulate(int first)
            {
                var size = Math.Min(batchSize, settings.Households - first);
                var batch = new HouseholdOutput[size];
                Parallel.For(0, size, parallel, i => batch[i] = writer.Write(simulator.Simulate(first + i)));
                return batch;
            }

            // Two batches in flight: the next is simulated while this one is written, so the disk and the
            // cores work at the same time. Output order is household order whatever the timing.
            var pending = Task.Run(() => Simulate(0), cancellationToken);
            for (var first = 0; first < settings.Households; first += batchSize)
            {
                var batch = pending.GetAwaiter().GetResult();
                var next = first + batchSize;
                if (next < settings.Households)
                {
                    pending = Task.Run(() => Simulate(next), cancellationToken);
                }

                foreach (var output in batch)
                {
                    for (var f = 0; f < writers.Length; f++)
                    {
                        if (output.Counts[f] > 0)
                        {
                            foreach (var chunk in output.Rows[f].GetChunks())
                            {
                                writers[f].Write(chunk.Span);
                            }

                            counts[f] += output.Counts[f];
                        }
                    }

                    people += output.People;
                    cohort += output.InCohort ? 1 : 0;
                    treated += output.Treated ? 1 : 0;
                }

                progress?.Report(first + batch.Length);
            }
        }
        finally
        {
            foreach (var w in writers)
            {
                w.Dispose();
            }
        }

        var rowCounts = OutputFiles.All.ToDictionary(f => f.Path, f => counts[f.Index], StringComparer.Ordinal);
        var result = new GenerationResult(root, rowCounts, settings.Households, people, cohort, treated);
        WriteManifest(settings, result);
        return result;
    }

    private static StreamWriter[] OpenWriters(string root)
    {
        var writers = new List<StreamWriter>();
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "extracts"));
            Directory.CreateDirectory(Path.Combine(root, "truth"));
            foreach (var file in OutputFiles.All)
            {
                var stream = new FileStream(Path.Combine(root, file.Path), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
                var w = new StreamWriter(stream, Utf8NoBom, 1 << 16) { NewLine = "\n" };
                writers.Add(w);
                var header = new StringBuilder();
                Csv.AppendLine(header, file.Columns);
                w.Write(header);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var w in writers)
            {
                w.Dispose();
            }

            throw new IOException($"cannot write the borough to {root}: {e.Message}", e);
        }

        return [.. writers];
    }

    private static void WriteManifest(GeneratorSettings settings, GenerationResult result)
    {
        var path = Path.Combine(result.OutputDirectory, "manifest.json");
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("generator", "hearth generate (Northbridge synthetic borough)");
        json.WriteString("version", GeneratorSettings.GeneratorVersion);
        json.WriteNumber("seed", settings.Seed);
        json.WriteNumber("households", settings.Households);
        json.WriteString("start", settings.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteString("end", settings.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteNumber("people", result.People);
        json.WriteNumber("cohort_families", result.CohortFamilies);
        json.WriteNumber("treated_families", result.TreatedFamilies);
        json.WriteStartObject("errors");
        foreach (var (name, value) in settings.Errors.Rates())
        {
            json.WriteNumber(name, value);
        }

        json.WriteNumber("address_lag_days", settings.Errors.AddressLagDays);
        json.WriteNumber("surname_lag_days", settings.Errors.SurnameLagDays);
        json.WriteStartObject("agency_quality");
        foreach (var (agency, q) in settings.Errors.AgencyQuality.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(agency, q);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("programme");
        foreach (var (name, value) in settings.Programme.Effects())
        {
            json.WriteNumber(name, value);
        }

        json.WriteNumber("selection_intercept", settings.Programme.SelectionIntercept);
        json.WriteNumber("selection_per_need", settings.Programme.SelectionPerNeed);
        json.WriteNumber("selection_per_prior_incident", settings.Programme.SelectionPerPriorIncident);
        json.WriteNumber("case_months", settings.Programme.CaseMonths);
        json.WriteEndObject();
        json.WriteStartArray("files");
        foreach (var file in OutputFiles.All)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteString("agency", file.Agency);
            json.WriteNumber("rows", result.RowCounts[file.Path]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
