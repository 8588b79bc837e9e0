using System.Net;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

public sealed partial class DataQualityPageTests : IAsyncLifetime
{
    private readonly HearthWebFactory _factory = new();

    public async ValueTask InitializeAsync()
    {
        _factory.CreateClient().Dispose();
        await _factory.LoadBoroughAsync(120, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Home_AfterImport_CountsWhatTheStoreHolds()
    {
        long records;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            records = await scope.ServiceProvider.GetRequiredService<HearthDb>().SourceRecords.LongCountAsync(TestContext.Current.CancellationToken);
        }

        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains(records.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.Contains("href=\"/data/quality\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("No agency data has been imported yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quality_ListsEveryAgencyAndExtractWithoutPersonalData()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        using var response = await client.GetAsync(new Uri("/data/quality", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(8, TableCaption().Count(html));
        Assert.Contains("police_offences.csv", html, StringComparison.Ordinal);
        // No date of birth or NHS number appears: the page shows counts only.
        Assert.DoesNotMatch(DateOfBirth(), html);
        Assert.DoesNotMatch(TenDigits(), html);
    }

    [GeneratedRegex("<caption class=\"govuk-table__caption")]
    private static partial Regex TableCaption();

    [GeneratedRegex(@"\b\d{2}/\d{2}/\d{4}\b|\b(19|20)\d{2}-\d{2}-\d{2}\b")]
    private static partial Regex DateOfBirth();

    [GeneratedRegex(@"\b\d{10}\b")]
    private static partial Regex TenDigits();
}
