using Hearth.Core.Data;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Hearth.Web.Pages.Api;

namespace Hearth.Web;

/// <summary>How the web app is composed; shared by Program, <c>hearth serve</c> and the in-process test hosts.</summary>
public static class HearthWebSetup
{
    public static WebApplicationBuilder AddHearthWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorPages(HearthPolicies.ConfigurePages);
        builder.Services.AddHearthCore(builder.Configuration);
        builder.Services.AddHearthSecurity(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        builder.Services.AddScoped<StoreSummaryQuery>();
        builder.Services.AddCaseWorkWeb();
        builder.Services.AddIdentificationWeb();
        builder.Services.AddClaimsWeb(builder.Configuration);
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        return builder;
    }

    public static WebApplication UseHearthWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<LoopbackIsSecure>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.UseMiddleware<SecurityHeaders>();
        app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        app.Use((context, next) =>
        {
            // The API answers programs: its 401, 403 and 404 stay bare statuses, not the HTML status page.
            if (ApiPaths.IsApi(context.Request.Path) &&
                context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            return next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthResponse.WriteAsync,
        }).AllowAnonymous();
        app.MapRazorPages();
        app.MapCaseWorkWeb();
        app.MapIdentificationApi();
        app.MapDataApi();
        app.MapClaimsApi();
        return app;
    }
}
