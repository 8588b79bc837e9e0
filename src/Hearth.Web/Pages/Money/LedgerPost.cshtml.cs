using Hearth.Core.Data;
using Hearth.Core.Finance.Ledger;
using Hearth.Core.Finance.Store;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>Open pots and post contributions, allocations, spend, invest-to-save and returned savings.</summary>
[Authorize(Policy = HearthPolicies.ManageData)]
public sealed class LedgerPostModel(HearthDb db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? Operation { get; set; }

    [BindProperty]
    public string? Pot { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Date { get; set; }

    [BindProperty]
    public string? Agency { get; set; }

    [BindProperty]
    public string? Year { get; set; }

    [BindProperty]
    public string? Service { get; set; }

    [BindProperty]
    public string? Family { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Pots { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Pots = (await new LedgerStore(db, clock).LoadAsync(cancellationToken)).Pots.Order(StringComparer.Ordinal).ToList();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.ToActor() is not { } actor)
        {
            return Challenge();
        }

        var store = new LedgerStore(db, clock);
        var date = MoneyFormat.Date(Date, Errors, "date") ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var year = MoneyFormat.Year(Year, Errors, "year");
        var amount = MoneyFormat.Number(Amount, Errors, "amount", 0m, 10_000_000_000m);
        if (string.IsNullOrWhiteSpace(Pot))
        {
            Errors["pot"] = "name the pot";
        }

        if (Errors.Count == 0)
        {
            try
            {
                if (Operation == "open")
                {
                    await store.OpenPotAsync(actor, Pot!.Trim(), null, date, cancellationToken);
                    Done = $"Opened pot {Pot.Trim()}.";
                }
                else if (amount is null || decimal.Round(amount.Value, 2) != amount.Value)
                {
                    Errors["amount"] = "give an amount in pounds with at most 2 decimals";
                }
                else
                {
                    var posting = await store.PostAsync(actor, new LedgerOperation(Operation ?? string.Empty, Pot!.Trim(), date, Core.Money.FromPounds(amount.Value),
                        Empty(Agency), year, Empty(Service), Empty(Family)), cancellationToken);
                    Done = $"Posting {posting.Id}: {posting.Description}, {posting.TotalDebits}.";
                }
            }
            catch (LedgerException e)
            {
                Errors["operation"] = e.Message;
            }
        }

        Pots = (await store.LoadAsync(cancellationToken)).Pots.Order(StringComparer.Ordinal).ToList();
        return Page();
    }

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
