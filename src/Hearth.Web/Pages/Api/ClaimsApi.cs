using System.Text.Json.Serialization;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hearth.Web.Pages.Api;

/// <summary>A claim as the list returns it: no evidence, amounts in whole pence.</summary>
public sealed record ClaimSummaryDto(string Reference, string Batch, string FrameworkId, string WindowId, string ResultId, string Status, long AmountPence, bool Discretionary, string? SampledBecause, DateOnly ClaimDate);

/// <summary>One transition of a claim: who, when, why.</summary>
public sealed record ClaimTransitionDto(string From, string To, string ActorName, DateTime AtUtc, string? Reason);

/// <summary>A claim with its frozen evidence, history and the moves the caller may make now.</summary>
public sealed record ClaimDto(ClaimSummaryDto Claim, string FamilyReference, string EvidenceSha256, FrozenClaimEvidence Evidence, IReadOnlyList<ClaimTransitionDto> History, IReadOnlyList<string> AllowedMoves);

/// <summary>A requested move: the status to move to by name (e.g. "SignedOff") and the reason (required to reject or claw back).</summary>
public sealed record ClaimMoveInput([property: JsonConverter(typeof(JsonStringEnumConverter<ClaimStatus>))] ClaimStatus To, string? Reason);

/// <summary>The frameworks claims can be built for: the shipped rules files and any local ones named in configuration.</summary>
public sealed class ClaimFrameworks
{
    private readonly Dictionary<string, Framework> _byId = new(StringComparer.Ordinal);

    /// <param name="localFiles">Paths of extra rules files (configuration <c>Hearth:Claims:Frameworks</c>, separated by ';').</param>
    public ClaimFrameworks(IEnumerable<string> localFiles)
    {
        foreach (var f in FrameworkCatalog.Shipped().All)
        {
            _byId[f.Id] = f;
        }

        foreach (var path in localFiles)
        {
            var f = FrameworkLoader.LoadFile(path);
            _byId[f.Id] = f;
        }
    }

    public IEnumerable<Framework> All => _byId.Values.OrderBy(f => f.Id, StringComparer.Ordinal);

    public Framework? Find(string? id) => id is not null && _byId.TryGetValue(id, out var f) ? f : null;
}

/// <summary>
/// The claims REST API under <c>/api/claims</c>: the same service, roles and audit as the claim pages. Reading
/// needs <see cref="HearthPolicies.ViewClaims"/>; each move is further checked by the service against the status
/// machine and the caller's role (a refused move is 409 naming the broken rules; an unknown claim is 404).
/// </summary>
public static class ClaimsApi
{
    /// <summary>The claims service and the frameworks claims are built for.</summary>
    public static IServiceCollection AddClaimsWeb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var files = (configuration["Hearth:Claims:Frameworks"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.AddSingleton(new ClaimFrameworks(files));
        services.TryAddScoped(sp => new ProgrammeClaimsService(sp.GetRequiredService<HearthDbFactory>(), sp.GetRequiredService<IAuditTrail>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/claims").RequireAuthorization(HearthPolicies.ViewClaims).WithTags("Claims");
        api.MapGet("/", ListAsync).WithName("ListClaims").WithSummary("Claims, optionally of one claim window and status (e.g. Ready), or only the sampled ones.");
        api.MapGet("/{**reference}", GetAsync).WithName("GetClaim").WithSummary("A claim with its frozen evidence, its history and the moves the caller may make.");
        api.MapPost("/transitions/{**reference}", MoveAsync).WithName("MoveClaim")
            .WithSummary("Move a claim (ready, signed off, rejected, submitted, paid, clawed back) as the caller's role allows; rejecting and clawing back need a reason.");
        return app;
    }

    private static Core.Access.Actor ActorOf(HttpContext http) =>
        http.User.ToActor() ?? throw new InvalidOperationException("The endpoint needs a signed-in user.");

    internal static ClaimSummaryDto Summary(ProgrammeClaim c) =>
        new(c.Reference, c.FrameworkId + "/" + c.WindowId, c.FrameworkId, c.WindowId, c.ResultId, c.Status.ToString(), c.AmountPence, c.Discretionary, c.SampledBecause, c.ClaimDate);

    private static async Task<IResult> ListAsync(HttpContext http, ProgrammeClaimsService service, string? window, string? status, bool? sampled, CancellationToken ct)
    {
        ClaimStatus? s = null;
        if (status is { Length: > 0 })
        {
            if (!Enum.TryParse<ClaimStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Use one of {string.Join(", ", Enum.GetNames<ClaimStatus>())}."] });
            }

            s = parsed;
        }

        var list = await service.ListAsync(ActorOf(http), string.IsNullOrWhiteSpace(window) ? null : window, s, ct);
        return TypedResults.Ok(list.Where(c => sampled is null || (c.SampledBecause is not null) == sampled).Select(Summary).ToList());
    }

    private static async Task<IResult> GetAsync(HttpContext http, ProgrammeClaimsService service, string reference, CancellationToken ct)
    {
        try
        {
            var d = await service.GetAsync(ActorOf(http), reference, ct);
            return TypedResults.Ok(new ClaimDto(Summary(d.Claim), d.FamilyReference, d.Claim.EvidenceSha256, d.Evidence,
                [.. d.History.Select(t => new ClaimTransitionDto(t.FromStatus.ToString(), t.ToStatus.ToString(), t.ActorName, t.AtUtc, t.Reason))],
                [.. d.Moves.Select(m => m.ToString())]));
        }
        catch (ClaimNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<IResult> MoveAsync(HttpContext http, ProgrammeClaimsService service, string reference, ClaimMoveInput input, CancellationToken ct)
    {
        if (input is null || !Enum.IsDefined(input.To))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [$"Use one of {string.Join(", ", Enum.GetNames<ClaimStatus>())}."] });
        }

        try
        {
            await service.MoveAsync(ActorOf(http), reference, input.To, input.Reason, ct);
            return TypedResults.NoContent();
        }
        catch (ClaimRefusedException ex) when (ex.Broken.Any(b => b.Rule == "KnownClaim"))
        {
            return TypedResults.NotFound();
        }
        catch (ClaimRefusedException ex) when (ex.Broken.Any(b => b.Rule == "RoleMayAct"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Your role may not make this move", detail: string.Join("; ", ex.Broken.Select(b => b.ToString())));
        }
        catch (ClaimRefusedException ex) when (ex.Broken.All(b => b.Rule == "ReasonGiven"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [.. ex.Broken.Select(b => b.Message)] });
        }
        catch (ClaimRefusedException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The move was refused", detail: string.Join("; ", ex.Broken.Select(b => b.ToString())));
        }
    }
}
