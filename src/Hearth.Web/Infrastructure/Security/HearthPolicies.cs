using Hearth.Core.Access;
using Microsoft.AspNetCore.Authorization;

namespace Hearth.Web.Infrastructure.Security;

/// <summary>
/// Authorisation in one place: the named policies, the roles each admits, which pages need which policy, and
/// the short list of pages anyone may reach. Everything else needs a signed-in user with a live session (and,
/// unless a demo turned it off, a completed second factor): the fallback policy denies by default.
/// docs/security.md shows the same table.
/// </summary>
public static class HearthPolicies
{
    /// <summary>Any signed-in user (the default and fallback policy).</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>Read and work on the cases of families allocated to the user, their team or their agency.</summary>
    public const string ViewCaseWork = "ViewCaseWork";

    /// <summary>Allocate families to key workers.</summary>
    public const string AllocateFamilies = "AllocateFamilies";

    /// <summary>Import extracts, run linkage and identification, read data quality.</summary>
    public const string ManageData = "ManageData";

    /// <summary>Read the data quality report.</summary>
    public const string ViewDataQuality = "ViewDataQuality";

    /// <summary>Decide uncertain links in the review queue.</summary>
    public const string ReviewLinks = "ReviewLinks";

    /// <summary>Read claims and their evidence, sign off or reject them.</summary>
    public const string AuditClaims = "AuditClaims";

    /// <summary>Read claim batches, claims and their evidence, download claim packs and the national return.</summary>
    public const string ViewClaims = "ViewClaims";

    /// <summary>Build claim batches and move claims along (ready, submitted, paid, clawed back): the claims officer.</summary>
    public const string ManageClaims = "ManageClaims";

    /// <summary>Approve a discretionary claim with a written rationale: the senior officer.</summary>
    public const string ApproveDiscretionaryClaims = "ApproveDiscretionaryClaims";

    /// <summary>Search the audit log.</summary>
    public const string ReadAuditLog = "ReadAuditLog";

    /// <summary>Read a family's access history: administrators and auditors for any family, team managers for their team's (decided in CaseAccess).</summary>
    public const string ViewAccessHistory = "ViewAccessHistory";

    /// <summary>Manage users, roles and sessions.</summary>
    public const string Administer = "Administer";

    /// <summary>Aggregate and pseudonymised data for evaluation and cost-benefit analysis.</summary>
    public const string Analyse = "Analyse";

    /// <summary>Read the money pages: unit costs, family cost profiles, the cohort report, pooled budgets, cost-benefit what-ifs.</summary>
    public const string ViewMoney = "ViewMoney";

    /// <summary>Run identification and work the identification list: find eligible families, allocate them, attach them to a programme.</summary>
    public const string IdentifyFamilies = "IdentifyFamilies";

    /// <summary>The roles each named policy admits.</summary>
    public static IReadOnlyDictionary<string, HearthRole[]> Roles { get; } = new Dictionary<string, HearthRole[]>(StringComparer.Ordinal)
    {
        [ViewCaseWork] = [HearthRole.KeyWorker, HearthRole.TeamManager, HearthRole.PartnerPractitioner],
        [AllocateFamilies] = [HearthRole.TeamManager],
        [ManageData] = [HearthRole.DataLead],
        [ViewDataQuality] = [HearthRole.DataLead, HearthRole.Analyst, HearthRole.Administrator],
        [ReviewLinks] = [HearthRole.DataLead],
        [AuditClaims] = [HearthRole.Auditor],
        [ViewClaims] = [HearthRole.DataLead, HearthRole.TeamManager, HearthRole.Auditor],
        [ManageClaims] = [HearthRole.DataLead],
        [ApproveDiscretionaryClaims] = [HearthRole.TeamManager],
        [ReadAuditLog] = [HearthRole.Administrator, HearthRole.Auditor],
        [ViewAccessHistory] = [HearthRole.TeamManager, HearthRole.Administrator, HearthRole.Auditor],
        [Administer] = [HearthRole.Administrator],
        [Analyse] = [HearthRole.Analyst, HearthRole.DataLead],
        [ViewMoney] = [HearthRole.Analyst, HearthRole.DataLead, HearthRole.TeamManager],
        [IdentifyFamilies] = [HearthRole.DataLead, HearthRole.TeamManager],
    };

    /// <summary>Pages anyone may reach, signed in or not.</summary>
    public static IReadOnlyList<string> AnonymousPages { get; } =
        ["/Account/SignIn", "/Account/SecondFactor", "/Account/Setup", "/Account/SetupAuthenticator", "/Error"];

    /// <summary>Non-page endpoints anyone may reach (static assets are served before routing and need no entry).</summary>
    public static IReadOnlyList<string> AnonymousEndpoints { get; } = ["/health"];

    /// <summary>Pages or page folders that need a named policy beyond being signed in.</summary>
    public static IReadOnlyList<(string PageOrFolder, bool Folder, string Policy)> PagePolicies { get; } =
    [
        ("/Admin/Users", true, Administer),
        ("/Admin/Audit", false, ReadAuditLog),
        ("/Admin/AuditAnomalies", false, ReadAuditLog),
        ("/Families/Access", false, ViewAccessHistory),
        ("/Data/Quality", false, ViewDataQuality),
        ("/Programmes/Identification", true, IdentifyFamilies),
        ("/Data/Intake", true, ManageData),
        ("/Data/Linkage", true, ReviewLinks),
        ("/Claims", true, ViewClaims),
        ("/Claims/NewBatch", false, ManageClaims),
        ("/Claims/Discretionary", false, ApproveDiscretionaryClaims),
        ("/Money/LocalCosts", false, ViewMoney),
        ("/Money/LocalCostEdit", false, ManageData),
        ("/Money/Contracts", false, ViewMoney),
        ("/Money/Contract", false, ViewMoney),
    ];

    /// <summary>Registers the policies: each needs a live session with the second factor (when required) and one of its roles.</summary>
    public static void AddPolicies(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var signedIn = new AuthorizationPolicyBuilder(HearthAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new SecondFactorRequirement())
            .Build();
        options.DefaultPolicy = signedIn;
        options.FallbackPolicy = signedIn;
        options.AddPolicy(SignedIn, signedIn);
        foreach (var (name, roles) in Roles)
        {
            options.AddPolicy(name, p => p
                .AddAuthenticationSchemes(HearthAuthentication.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new SecondFactorRequirement())
                .RequireRole(roles.Select(r => r.ToString())));
        }
    }

    /// <summary>Puts authorisation metadata on every page: the allow-list anonymous, the named pages their policy, the rest signed-in.</summary>
    public static void ConfigurePages(Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Conventions.AuthorizeFolder("/", SignedIn);
        foreach (var (path, folder, policy) in PagePolicies)
        {
            if (folder)
            {
                options.Conventions.AuthorizeFolder(path, policy);
            }
            else
            {
                options.Conventions.AuthorizePage(path, policy);
            }
        }

        foreach (var page in AnonymousPages)
        {
            options.Conventions.AllowAnonymousToPage(page);
        }
    }

    /// <summary>Whether a principal satisfies a named policy's roles (for showing navigation links).</summary>
    public static bool Admits(System.Security.Claims.ClaimsPrincipal user, string policy)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true &&
            (!Roles.TryGetValue(policy, out var roles) || roles.Any(r => user.IsInRole(r.ToString())));
    }
}

/// <summary>The session completed the second factor, unless <see cref="HearthSecurityOptions.RequireSecondFactor"/> is off.</summary>
public sealed class SecondFactorRequirement : IAuthorizationRequirement;

/// <summary>Checks <see cref="SecondFactorRequirement"/> against the principal's <c>amr</c> claim.</summary>
public sealed class SecondFactorHandler(Microsoft.Extensions.Options.IOptions<HearthSecurityOptions> options) : AuthorizationHandler<SecondFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SecondFactorRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!options.Value.RequireSecondFactor || context.User.HasClaim(HearthAuthentication.AmrClaim, HearthAuthentication.AmrMfa))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
