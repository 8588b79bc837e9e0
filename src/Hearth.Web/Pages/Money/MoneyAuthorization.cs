using Hearth.Core.Access;
using Microsoft.AspNetCore.Authorization;

namespace Hearth.Web.Pages.Money;

/// <summary>
/// The money area's authorisation: read-only money pages need the <c>Analyse</c> policy, pages that change the
/// ledger or local unit costs need <c>ManageData</c>. The app's sign-in set-up owns these policies;
/// <see cref="AddMoneyPolicies"/> is the area's registration, adding each only when it is not already defined.
/// </summary>
public static class MoneyAuthorization
{
    public const string Analyse = "Analyse";

    public const string ManageData = "ManageData";

    /// <summary>Roles that may read money pages (analysts, data leads, team managers).</summary>
    public static readonly IReadOnlyList<string> AnalyseRoles = [nameof(HearthRole.Analyst), nameof(HearthRole.DataLead), nameof(HearthRole.TeamManager)];

    /// <summary>Roles that may change the ledger and local unit costs.</summary>
    public static readonly IReadOnlyList<string> ManageDataRoles = [nameof(HearthRole.DataLead)];

    public static AuthorizationOptions AddMoneyPolicies(this AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.GetPolicy(Analyse) is null)
        {
            options.AddPolicy(Analyse, p => p.RequireAuthenticatedUser().RequireRole(AnalyseRoles));
        }

        if (options.GetPolicy(ManageData) is null)
        {
            options.AddPolicy(ManageData, p => p.RequireAuthenticatedUser().RequireRole(ManageDataRoles));
        }

        return options;
    }
}
