using System.Text;
using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Pages.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Claims;

/// <summary>
/// Downloads of a batch: the claim pack as CSV or readable HTML (with each claim's frozen evidence and the audit
/// sample), and the national return (counts and money by result, no personal data).
/// </summary>
public sealed class DownloadModel(ProgrammeClaimsService service, ClaimFrameworks frameworks) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? framework, string? window, string? format, CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        var f = frameworks.Find(framework);
        if (f is null || string.IsNullOrWhiteSpace(window) || format is not ("csv" or "html" or "return"))
        {
            return NotFound();
        }

        var pack = await service.LoadPackAsync(actor, f, window, ct);
        var name = Safe(f.Id) + "-" + Safe(window);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        switch (format)
        {
            case "csv":
                pack.WriteCsv(writer);
                return File(Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", name + "-claims.csv");
            case "html":
                pack.WriteHtml(writer);
                return File(Encoding.UTF8.GetBytes(writer.ToString()), "text/html; charset=utf-8", name + "-claims.html");
            default:
                return File(Encoding.UTF8.GetBytes(pack.Return.ToCsv()), "text/csv; charset=utf-8", name + "-national-return.csv");
        }
    }

    private static string Safe(string s) => new([.. s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
}
