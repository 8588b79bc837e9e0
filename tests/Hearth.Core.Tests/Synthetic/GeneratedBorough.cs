using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

/// <summary>
/// One borough generated for all the invariant tests (4,000 households, default settings, seed 7), read
/// back into memory: file → rows of fields (header first).
/// </summary>
public sealed class GeneratedBorough : IDisposable
{
    public GeneratedBorough()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hearth-borough-" + Guid.NewGuid().ToString("N"));
        Settings = new GeneratorSettings { Households = 4000, Seed = 7 };
        Result = BoroughGenerator.Generate(Settings, Directory);
        foreach (var file in OutputFiles.All)
        {
            using var reader = new StreamReader(Path.Combine(Directory, file.Path));
            Files[file.Path] = [.. CsvRecords.Read(reader).Select(r => r.Fields)];
        }
    }

    public string Directory { get; }

    public GeneratorSettings Settings { get; }

    public GenerationResult Result { get; }

    public Dictionary<string, List<string[]>> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows of a file as dictionaries keyed by column name (header excluded).</summary>
    public IEnumerable<Dictionary<string, string>> Rows(OutputFile file)
    {
        var rows = Files[file.Path];
        var header = rows[0];
        return rows.Skip(1).Select(r => header.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal));
    }

    /// <summary>Truth records keyed by (extract file name, record id).</summary>
    public Dictionary<(string File, string Id), Dictionary<string, string>> Records() =>
        Rows(OutputFiles.TruthRecords).ToDictionary(r => (r["extract"], r["record_id"]));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
