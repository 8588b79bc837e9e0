using System.IO.Compression;
using System.Text;
using Hearth.Core.Data;
using Hearth.Core.Finance.Contracts;
using Hearth.Core.Finance.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>What one metric earned: outcomes, due and paid, against its cap.</summary>
public sealed record MetricTotal(RateCardEntry Card, decimal Outcomes, Core.Money Due, Core.Money Paid)
{
    public bool CapReached => Card.Cap is { } cap && Paid >= cap;
}

/// <summary>One stored contract with its computed figures and the INDIGO download (policy in HearthPolicies.PagePolicies).</summary>
public sealed class ContractModel(HearthDb db, TimeProvider clock) : PageModel
{
    public StoredContract? Stored { get; private set; }

    public IReadOnlyList<MetricTotal> Metrics { get; private set; } = [];

    public bool OverallCapReached => Stored?.Contract.OutcomeCap is { } cap && Stored.Result.TotalPaid >= cap;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Stored = await new ContractStore(db, clock).RunAsync(id, cancellationToken);
        if (Stored is null)
        {
            return NotFound();
        }

        var payments = Stored.Result.Payments;
        Metrics = Stored.Contract.RateCard.Select(card =>
        {
            var lines = payments.Where(p => p.MetricId == card.MetricId).ToList();
            return new MetricTotal(card, lines.Sum(p => p.Count),
                lines.Aggregate(Core.Money.Zero, (sum, p) => sum + p.Due), lines.Aggregate(Core.Money.Zero, (sum, p) => sum + p.Paid));
        }).ToList();
        return Page();
    }

    /// <summary>The INDIGO-named CSV files and the cash-flow table, zipped.</summary>
    public async Task<IActionResult> OnGetIndigoAsync(long id, CancellationToken cancellationToken)
    {
        var stored = await new ContractStore(db, clock).RunAsync(id, cancellationToken);
        if (stored is null)
        {
            return NotFound();
        }

        return File(Zip(IndigoExport.Files(stored.Result)), "application/zip", FormattableString.Invariant($"contract-{id}-indigo.zip"));
    }

    private static byte[] Zip(IReadOnlyList<(string Name, string Content)> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(new UTF8Encoding(false).GetBytes(content));
            }
        }

        return buffer.ToArray();
    }
}
