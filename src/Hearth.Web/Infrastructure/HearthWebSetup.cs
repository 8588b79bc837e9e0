using Hearth.Core.Data;
using Hearth.Web.Infrastructure;
using Hearth.Web.Pages.Api;

namespace Hearth.Web;

/// <summary>How the web app is composed; shared by Program and the in-process test hosts.</summary>
public static class HearthWebSetup
{
    public static WebApplicationBuilder AddHearthWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorPages();
        builder.Services.AddHearthCore(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        builder.Services.AddScoped<StoreSummaryQuery>();
        builder.Services.AddCaseWorkWeb();
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
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.UseMiddleware<SecurityHeaders>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthResponse.WriteAsync,
        });
        app.MapRazorPages();
        app.MapCaseWorkWeb();
        return app;
    }
}
