using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Hearth.Web.Pages.Programmes.Identification;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hearth.Web.Pages.Api;

public sealed record IdentificationRunDto(long Id, string Framework, string FrameworkVersion, DateOnly AsOf, DateTime? CompletedUtc, long Families, long Eligible, long NotEligible, long Unknown);

public sealed record IdentifiedFamilyDto(string Reference, string Eligible, int NeedsRaised, int HeadlinesRaised, IReadOnlyList<string> Headlines, string Reason,
    string? CaseStatus, string? TeamId, string? KeyWorker, DateOnly? AttachedOn);

public sealed record IdentificationListDto(IdentificationRunDto Run, int Total, int Page, int PageSize, IReadOnlyList<IdentifiedFamilyDto> Families);

public sealed record EvidenceEventDto(string Type, DateOnly Start, DateOnly? End, string Dataset, int Row);

public sealed record NeedEvidenceDto(string Expression, string Kind, string Value, string? Comparison, string? Threshold, string Outcome, DateOnly? PeriodStart, DateOnly? PeriodEnd, IReadOnlyList<EvidenceEventDto> Events);

public sealed record RaisedNeedDto(string Headline, string Need, string Title, string Member, string Indicator, IReadOnlyList<NeedEvidenceDto> Evidence);

public sealed record FamilyIdentificationDto(string Reference, string Framework, DateOnly AsOf, string Eligible, string Reason, IReadOnlyList<NeedEvidenceDto> Criteria,
    IReadOnlyList<RaisedNeedDto> Needs, string? CaseStatus, string? TeamId, string? KeyWorker, DateOnly? AttachedOn);

/// <summary>What a client asks to run: the framework id (default Supporting Families 2022).</summary>
public sealed record IdentificationRunRequest(string? Framework);

/// <summary>
/// The identification API under <c>/api/identification</c>: the latest stored run's families, one family's
/// explanation, and running identification as of today. Same policy (data leads and team managers) and the same
/// audited services as the pages; bodies are JSON only, so a cross-site form cannot post to it.
/// </summary>
public static class IdentificationApi
{
    /// <summary>The services the identification pages and API use.</summary>
    public static IServiceCollection AddIdentificationWeb(this IServiceCollection services)
    {
        services.AddScoped(sp => new IdentificationService(sp.GetRequiredService<HearthDbFactory>(), sp.GetRequiredService<IAuditTrail>()));
        services.AddScoped(sp => new IdentificationRuns(sp.GetRequiredService<HearthDbFactory>(), sp.GetRequiredService<IAuditTrail>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped(sp => new ProgrammeClaimsService(sp.GetRequiredService<HearthDbFactory>(), sp.GetRequiredService<IAuditTrail>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IEndpointRouteBuilder MapIdentificationApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/identification").RequireAuthorization(HearthPolicies.IdentifyFamilies).WithTags("Identification");
        api.MapGet("/", ListAsync).WithName("ListIdentifiedFamilies").WithSummary("The latest identification run's families for a framework (eligible ones unless asked), paged.");
        api.MapGet("/{family}", FamilyAsync).WithName("ExplainIdentification").WithSummary("One family's identification: each need with the member, indicator, events and period; why not when not eligible.");
        api.MapPost("/runs", RunAsync).WithName("RunIdentification").WithSummary("Run identification over the store as of today and store the run.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IdentificationRuns runs, string? framework, string? headline, bool? unallocated, string? eligible, int? page, int? pageSize, CancellationToken ct)
    {
        if (IdentificationPages.Find(framework) is not { } f)
        {
            return UnknownFramework();
        }

        if (eligible is { Length: > 0 } && eligible is not ("yes" or "no" or "unknown"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["eligible"] = ["Use yes, no or unknown."] });
        }

        return await Guard(async () =>
        {
            var list = await runs.ListAsync(ActorOf(http), f, new IdentificationFilter(headline, unallocated ?? false, eligible is { Length: > 0 } ? eligible : "yes"), page ?? 1, pageSize ?? 50, ct);
            return list is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(new IdentificationListDto(Dto(list.Run), list.Total, list.Page, list.PageSize,
                    [.. list.Families.Select(x => new IdentifiedFamilyDto(x.Reference, x.Eligible, x.NeedsRaised, x.HeadlinesRaised, x.Headlines, x.Reason,
                        x.CaseStatus?.ToString(), x.TeamId, x.KeyWorkerName, x.AttachedOn))]));
        });
    }

    private static async Task<IResult> FamilyAsync(HttpContext http, IdentificationRuns runs, IdentificationService identification, TimeProvider clock, string family, string? framework, CancellationToken ct)
    {
        if (IdentificationPages.Find(framework) is not { } f)
        {
            return UnknownFramework();
        }

        return await Guard(async () =>
        {
            var actor = ActorOf(http);
            var status = await runs.FamilyAsync(actor, f, family, ct);
            if (status is null)
            {
                return TypedResults.NotFound();
            }

            var asOf = (await runs.LatestRunAsync(actor, f.Id, ct))?.AsOf ?? IdentificationPages.Today(clock);
            var explained = await identification.ExplainFamilyAsync(actor, f, family, asOf, ct);
            if (explained is null)
            {
                return TypedResults.NotFound();
            }

            var r = explained.Result;
            var needs = r.RaisedNeeds.SelectMany(n => n.Members.Where(m => m.Truth == Truth.True).Select(m => new RaisedNeedDto(n.Need.HeadlineId, n.Need.Id, n.Need.Title,
                IdentificationPages.Member(explained.Family, m.PersonId, asOf), n.Need.EligibilityText, [.. m.Evidence.Where(e => e.Kind != EvidenceKind.Fact).Select(Dto)]))).ToList();
            return TypedResults.Ok(new FamilyIdentificationDto(family, f.Id, asOf, IdentificationRuns.EligibleWord(r.Eligible), IdentificationRuns.Reason(r),
                [.. r.RuleEvidence.Where(e => e.Kind == EvidenceKind.Test).Select(Dto)], needs, status.CaseStatus?.ToString(), status.TeamId, status.KeyWorkerName, status.AttachedOn));
        });
    }

    private static async Task<IResult> RunAsync(HttpContext http, IdentificationRuns runs, TimeProvider clock, IdentificationRunRequest? request, CancellationToken ct)
    {
        if (IdentificationPages.Find(request?.Framework) is not { } f)
        {
            return UnknownFramework();
        }

        return await Guard(async () =>
        {
            var (run, _) = await runs.RunAsync(ActorOf(http), f, IdentificationPages.Today(clock), ct: ct);
            return TypedResults.Created("/api/identification?framework=" + Uri.EscapeDataString(f.Id), Dto(run));
        });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem UnknownFramework() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["framework"] = ["Use one of: " + string.Join(", ", IdentificationPages.Frameworks.Select(x => x.Id)) + "."],
        });

    private static async Task<IResult> Guard(Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (ProgrammeAccessDeniedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden);
        }
    }

    private static IdentificationRunDto Dto(IdentificationRunSummary r) =>
        new(r.Id, r.FrameworkId, r.FrameworkVersion, r.AsOf, r.CompletedUtc, r.Families, r.Eligible, r.NotEligible, r.Unknown);

    private static NeedEvidenceDto Dto(Evidence e) =>
        new(e.Expression, e.Kind.ToString(), e.Value, e.Comparison, e.Threshold, e.Outcome.Word(), e.Period?.Start, e.Period?.End,
            [.. e.Events.Take(50).Select(v => new EvidenceEventDto(EventSchema.NameOf(v.Type), v.Start, v.End, v.Source.DatasetId, v.Source.Row))]);

    private static Core.Access.Actor ActorOf(HttpContext http) =>
        http.User.ToActor() ?? throw new InvalidOperationException("The endpoint needs a signed-in user.");
}
