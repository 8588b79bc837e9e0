using Hearth.Core.Finance.Profiles;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Core.Finance.Store;

/// <summary>Registers the money services that work on the store (after <c>AddHearthCore</c>).</summary>
public static class MoneyServices
{
    public static IServiceCollection AddHearthMoney(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<LocalCostStore>();
        services.AddScoped<LedgerStore>();
        services.AddScoped<ContractStore>();
        services.AddScoped<FamilyCostService>();
        return services;
    }
}
