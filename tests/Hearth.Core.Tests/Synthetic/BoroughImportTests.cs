using Hearth.Core.Intake;
using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

public sealed class BoroughImportTests
{
    [Fact]
    public void Extracts_CoverEveryExtractTheGeneratorWritesExactlyOnce()
    {
        var written = OutputFiles.All.Where(f => f.IsExtract).Select(f => f.FileName).Order(StringComparer.Ordinal);
        var planned = BoroughImport.Extracts.Select(e => e.File).Order(StringComparer.Ordinal);
        Assert.Equal(written, planned);
    }

    [Fact]
    public void Extracts_EachHasAShippedMappingWhoseColumnsAreInTheExtractHeader()
    {
        foreach (var (file, agency, kind) in BoroughImport.Extracts)
        {
            var mapping = MappingLoader.FindShipped(agency, kind);
            Assert.NotNull(mapping);
            var header = OutputFiles.All.Single(f => f.FileName == file).Columns;
            var missing = mapping.Columns.Select(c => c.Source).Where(s => !header.Contains(s, StringComparer.Ordinal)).ToList();
            Assert.True(missing.Count == 0, $"{file}: mapping {agency}/{kind} names columns the extract lacks: {string.Join(", ", missing)}");
        }
    }
}
