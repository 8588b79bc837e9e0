using System.Text.Json.Serialization;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;

namespace Hearth.Web.Pages.Api;

/// <summary>A family member as the API returns them; details are null when consent does not share them.</summary>
public sealed record MemberDto(string Reference, string Role, string? Relationship, bool DetailsShared, string? Name, DateOnly? DateOfBirth, IReadOnlyList<string> Agencies, string? LeadProfessional);

public sealed record FamilyDto(string Reference, string? Status, string? TeamId, string? KeyWorker, string Access, IReadOnlyList<MemberDto> Members, int EventsShown, int EventsHidden);

public sealed record ActionDto(long Id, string Description, string Owner, string AgencyId, DateOnly DueDate, string Status, string? ProgressNote, Guid Version, bool CanUpdate);

public sealed record GoalDto(long Id, string Description, DateOnly? TargetDate, IReadOnlyList<ActionDto> Actions);

public sealed record NeedDto(long Id, string Theme, string Description, IReadOnlyList<GoalDto> Goals);

public sealed record PlanDto(long Id, Guid Version, DateOnly NextReviewDue, bool Partial, IReadOnlyList<NeedDto> Needs);

public sealed record NoteDto(long Id, DateTime WrittenUtc, string Author, string? About, string? AuthorAgency, bool SharedWithTeam, string Text);

/// <summary>What a client may change on an action (status by name, e.g. "InProgress"); <see cref="Version"/> is the version it read.</summary>
public sealed record ActionUpdate(
    [property: JsonConverter(typeof(JsonStringEnumConverter<PlanActionStatus>))] PlanActionStatus Status, string? ProgressNote, DateOnly? DueDate, Guid Version);

public sealed record NoteInput(string? PersonReference, string Text, bool ShareWithTeam);

/// <summary>
/// The case work REST API under <c>/api</c>: the same service, access rules and audit as the pages. Every endpoint
/// needs a signed-in user; a family outside the caller's case work is 404; a stale version is 409; invalid input
/// is a 400 validation problem naming the fields. Bodies are JSON only, so a cross-site form cannot post to it.
/// </summary>
public static class CaseWorkApi
{
    /// <summary>Services the case work pages and API need besides Core: authorisation and the OpenAPI document.</summary>
    public static IServiceCollection AddCaseWorkWeb(this IServiceCollection services)
    {
        services.AddAuthorization();
        services.AddOpenApi();
        return services;
    }

    /// <summary>Maps the case work API and the OpenAPI document (<c>/openapi/v1.json</c>, for signed-in users only).</summary>
    public static IEndpointRouteBuilder MapCaseWorkWeb(this IEndpointRouteBuilder app)
    {
        app.MapCaseWorkApi();
        app.MapOpenApi().RequireAuthorization(HearthPolicies.SignedIn);
        return app;
    }

    public static IEndpointRouteBuilder MapCaseWorkApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/families").RequireAuthorization(HearthPolicies.ViewCaseWork).WithTags("Case work");
        api.MapGet("/", ListAsync).WithName("ListFamilies").WithSummary("Families the caller works with, optionally by family or person reference.");
        api.MapGet("/{reference}", GetAsync).WithName("GetFamily").WithSummary("A family as the caller may see it.");
        api.MapGet("/{reference}/members", MembersAsync).WithName("GetMembers");
        api.MapGet("/{reference}/plan", PlanAsync).WithName("GetPlan");
        api.MapPatch("/{reference}/actions/{actionId:long}", UpdateActionAsync).WithName("UpdateAction").WithSummary("Update an action's status, progress note or due date.");
        api.MapGet("/{reference}/notes", NotesAsync).WithName("GetNotes");
        api.MapPost("/{reference}/notes", AddNoteAsync).WithName("AddNote");
        return app;
    }

    private static Core.Access.Actor ActorOf(HttpContext http) =>
        http.User.ToActor() ?? throw new InvalidOperationException("The endpoint needs a signed-in user.");

    private static async Task<IResult> ListAsync(HttpContext http, CaseWorkService service, string? q, CancellationToken ct)
    {
        if (q is { Length: > 0 } && !System.Text.RegularExpressions.Regex.IsMatch(q.Trim(), "^[FfPp][0-9]{1,12}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["Use a family reference like F0000123 or a person reference like P0001234."] });
        }

        var list = await service.ListFamiliesAsync(ActorOf(http), q, ct);
        return TypedResults.Ok(list.Select(f => new { f.Reference, Status = f.Status?.ToString(), f.TeamId, KeyWorker = f.KeyWorkerName, f.Members }));
    }

    private static Task<IResult> GetAsync(HttpContext http, CaseWorkService service, string reference, CancellationToken ct) =>
        Run(async () =>
        {
            var f = await service.GetFamilyAsync(ActorOf(http), reference, "family.view", withTimeline: true, ct: ct);
            return TypedResults.Ok(new FamilyDto(f.Reference, f.Case?.Status.ToString(), f.Case?.TeamId, f.KeyWorkerName, f.Access.Level.ToString(),
                Members(f), f.Timeline.Count, f.HiddenEvents));
        });

    private static Task<IResult> MembersAsync(HttpContext http, CaseWorkService service, string reference, CancellationToken ct) =>
        Run(async () => TypedResults.Ok(Members(await service.GetFamilyAsync(ActorOf(http), reference, "members.view", withTimeline: false, ct: ct))));

    private static Task<IResult> PlanAsync(HttpContext http, CaseWorkService service, string reference, CancellationToken ct) =>
        Run(async () =>
        {
            var f = await service.GetFamilyAsync(ActorOf(http), reference, "plan.view", withTimeline: false, ct: ct);
            if (f.Plan is not { } p)
            {
                return TypedResults.NotFound();
            }

            return TypedResults.Ok(new PlanDto(p.Id, p.Version, p.NextReviewDue, p.Partial, p.Needs.Select(n => new NeedDto(n.Need.Id, n.Need.Theme, n.Need.Description,
                n.Goals.Select(g => new GoalDto(g.Goal.Id, g.Goal.Description, g.Goal.TargetDate, g.Actions.Select(a => new ActionDto(a.Action.Id, a.Action.Description, a.OwnerName,
                    a.Action.AgencyId, a.Action.DueDate, a.Action.Status.ToString(), a.Action.ProgressNote, a.Action.Version, a.CanUpdate)).ToList())).ToList())).ToList()));
        });

    private static Task<IResult> UpdateActionAsync(HttpContext http, CaseWorkService service, string reference, long actionId, ActionUpdate update, CancellationToken ct) =>
        Run(async () =>
        {
            var a = await service.UpdateActionAsync(ActorOf(http), reference, actionId, update.Version, update.Status, update.ProgressNote, update.DueDate, ct);
            return TypedResults.Ok(new { a.Id, Status = a.Status.ToString(), a.ProgressNote, a.DueDate, a.Version });
        });

    private static Task<IResult> NotesAsync(HttpContext http, CaseWorkService service, string reference, CancellationToken ct) =>
        Run(async () =>
        {
            var f = await service.GetFamilyAsync(ActorOf(http), reference, "notes.view", withTimeline: false, ct: ct);
            return TypedResults.Ok(f.Notes.Select(n => new NoteDto(n.Note.Id, n.Note.WrittenUtc, n.AuthorName, n.PersonReference, n.Note.AuthorAgencyId, n.Note.SharedWithTeam, n.Note.Text)).ToList());
        });

    private static Task<IResult> AddNoteAsync(HttpContext http, CaseWorkService service, string reference, NoteInput input, CancellationToken ct) =>
        Run(async () =>
        {
            var n = await service.AddNoteAsync(ActorOf(http), reference, input.PersonReference, input.Text ?? string.Empty, input.ShareWithTeam, ct);
            return TypedResults.Created($"/api/families/{Uri.EscapeDataString(reference)}/notes", new { n.Id });
        });

    private static List<MemberDto> Members(FamilyRecord f) =>
        f.Members.Select(m => new MemberDto(m.PersonReference, m.Role == FamilyRole.Adult ? "adult" : "child", m.Relationship, m.Visible, m.Name, m.DateOfBirth, m.Agencies,
            m.LeadProfessional?.DisplayName)).ToList();

    /// <summary>The service's answers as HTTP: not found 404, forbidden 403, conflict 409, invalid 400 with the fields.</summary>
    private static async Task<IResult> Run(Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (CaseNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (CaseForbiddenException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden);
        }
        catch (CaseConflictException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (CaseValidationException ex)
        {
            return TypedResults.ValidationProblem(ex.Errors.GroupBy(e => e.Field.Length == 0 ? "request" : e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
    }
}
