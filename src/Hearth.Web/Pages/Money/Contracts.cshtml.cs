using Hearth.Core.Data;
using Hearth.Core.Finance.Store;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>The outcome contracts in the store with their payments to date (policy in HearthPolicies.PagePolicies).</summary>
public sealed class ContractsModel(HearthDb db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<StoredContract> Contracts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var store = new ContractStore(db, clock);
        var list = new List<StoredContract>();
        foreach (var row in await store.ListAsync(cancellationToken))
        {
            if (await store.RunAsync(row.Id, cancellationToken) is { } stored)
            {
                list.Add(stored);
            }
        }

        Contracts = list;
    }
}
