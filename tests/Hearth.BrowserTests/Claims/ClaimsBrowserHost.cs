using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Claims;

/// <summary>
/// The app on its own store for the claims journey: the families and local rules file of
/// <see cref="ClaimsStoreSeed"/>, a clock at 15 February 2024 (inside the claim window), a data lead and an auditor.
/// </summary>
public sealed class ClaimsBrowserHost : WebAppHost
{
    private readonly FakeTimeProvider _clock;
    private readonly Dictionary<HearthRole, TestUser> _users = [];

    public ClaimsBrowserHost()
        : this(new FakeTimeProvider(new DateTimeOffset(2024, 2, 15, 12, 0, 0, TimeSpan.Zero)))
    {
    }

    private ClaimsBrowserHost(FakeTimeProvider clock)
        : base("claims", clock) => _clock = clock;

    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Hearth:Claims:Frameworks", ClaimsStoreSeed.WriteFramework(Folder));

    protected override async Task SeedAsync(IServiceProvider services)
    {
        await ClaimsStoreSeed.SeedAsync(services.GetRequiredService<HearthDbFactory>(), _clock, ["F9100001", "F9100002", "F9100003", "F9100004"], CancellationToken.None);
        foreach (var role in new[] { HearthRole.DataLead, HearthRole.Auditor })
        {
            _users[role] = await TestAccounts.CreateAsync(services, [role]);
        }
    }

    public Task<IPage> PageForAsync(HearthRole role) => SignedInPageAsync(_users[role]);
}
