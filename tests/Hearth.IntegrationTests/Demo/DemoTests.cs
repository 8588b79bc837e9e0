using Hearth.IntegrationTests.Infrastructure;
using Hearth.Cli;
using Hearth.Core.Data;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Demo;

/// <summary>The README's main command, end to end on a small borough in a SQLite file.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class DemoTests : IDisposable
{
    private readonly DirectoryInfo _folder = new(Path.Combine(Path.GetTempPath(), "hearth-demo-" + Guid.NewGuid().ToString("N")));

    [Fact]
    public async Task Demo_SmallBorough_ImportsEveryExtractLosingNothingAndRerunChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await Commands.RunDemoAsync(300, 7, _folder, ct));

        var options = new DbContextOptionsBuilder<SqliteHearthDb>()
            .UseSqlite($"Data Source={Path.Combine(_folder.FullName, "hearth.db")}").Options;
        int datasets;
        long stored, read, records;
        await using (var db = new SqliteHearthDb(options))
        {
            datasets = await db.Datasets.CountAsync(ct);
            read = await db.Datasets.SumAsync(d => (long)d.RowsRead, ct);
            stored = await db.Datasets.SumAsync(d => (long)d.RowsStored + d.RowsQuarantined + d.RowsDuplicate, ct);
            records = await db.SourceRecords.LongCountAsync(ct);
        }

        // One dataset per extract the generator writes, and every row read is accounted for.
        Assert.Equal(OutputFiles.All.Count(f => f.IsExtract), datasets);
        Assert.Equal(BoroughImport.Extracts.Count, datasets);
        Assert.True(read > 1_000, $"only {read} rows were read");
        Assert.Equal(read, stored);
        Assert.True(records > 0);

        // Linking the stored records recovers the borough's people: checked against the generator's truth.
        await using (var db = new SqliteHearthDb(options))
        {
            var store = await StoreLinkage.ReadAsync(db, ct);
            var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
            var labels = StoreLinkage.TruthLabels(store, Path.Combine(_folder.FullName, "northbridge", "truth", "records.csv"), agencyOfExtract);
            Assert.DoesNotContain(null, labels);
            var linked = StoreLinkage.Run(store, labels);
            Assert.True(linked.ClusterAccuracy!.Pairwise.Precision >= 0.99, $"person precision {linked.ClusterAccuracy.Pairwise.Precision:F4}");
            Assert.True(linked.ClusterAccuracy.Pairwise.Recall >= 0.95, $"person recall {linked.ClusterAccuracy.Pairwise.Recall:F4}");
        }

        // The demo stored the persons it found: every source record belongs to one, and families were built.
        List<string> references;
        await using (var db = new SqliteHearthDb(options))
        {
            Assert.Equal(records, await db.PersonRecords.LongCountAsync(ct));
            var run = await db.LinkageRuns.SingleAsync(ct);
            Assert.Equal(run.Persons, await db.Persons.CountAsync(ct));
            Assert.True(run.Families > 0 && run.Families == await db.Families.CountAsync(ct));
            references = await db.PersonRecords.OrderBy(r => r.SourceRecordId)
                .Join(db.Persons, r => r.PersonId, p => p.Id, (r, p) => p.Reference).ToListAsync(ct);

            // The demo stored a Supporting Families identification run over every family, for the web app's list.
            var identification = await db.IdentificationRuns.SingleAsync(ct);
            Assert.Equal(("supporting-families-2022", Commands.DemoIdentificationAsOf), (identification.FrameworkId, identification.AsOf));
            Assert.NotNull(identification.CompletedUtc);
            Assert.Equal(run.Families, identification.Families);
            Assert.Equal(identification.Families, await db.IdentificationRunFamilies.LongCountAsync(r => r.RunId == identification.Id, ct));
            Assert.Equal(identification.Eligible, await db.IdentificationRunFamilies.LongCountAsync(r => r.RunId == identification.Id && r.Eligible == "yes", ct));
            Assert.True(identification.Eligible > 0, "the demo's identification list would be empty");
        }

        // Running the demo again regenerates byte-identical files, so the imports are no-ops, and the second
        // linkage run keeps every reference.
        Assert.Equal(0, await Commands.RunDemoAsync(300, 7, _folder, ct));
        await using (var db = new SqliteHearthDb(options))
        {
            Assert.Equal(datasets, await db.Datasets.CountAsync(ct));
            Assert.Equal(records, await db.SourceRecords.LongCountAsync(ct));
            Assert.Equal(2, await db.LinkageRuns.CountAsync(ct));
            Assert.Equal(0, (await db.LinkageRuns.OrderBy(r => r.Id).LastAsync(ct)).NewPersons);
            Assert.Equal(references, await db.PersonRecords.OrderBy(r => r.SourceRecordId)
                .Join(db.Persons, r => r.PersonId, p => p.Id, (r, p) => p.Reference).ToListAsync(ct));
        }
    }

    [Fact]
    public async Task LinkReviewCommands_OnTheDemoStore_ListShowDecideAndRelink()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await Commands.RunDemoAsync(200, 3, _folder, ct));
        var db = Path.Combine(_folder.FullName, "hearth.db");
        long id;
        await using (var context = new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite($"Data Source={db}").Options))
        {
            id = (await context.LinkReviews.OrderBy(r => r.Id).FirstAsync(ct)).Id;
        }

        var list = Hearth("link", "review", "list", "--database", db, "--status", "pending", "--limit", "3");
        Assert.Equal(0, list.Exit);
        Assert.Matches("[123] shown", list.Output);
        Assert.NotEqual(0, Hearth("link", "review", "list", "--database", db, "--status", "maybe").Exit);

        var show = Hearth("link", "review", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--database", db);
        Assert.Equal(0, show.Exit);
        Assert.Contains("given_name", show.Output, StringComparison.Ordinal);
        Assert.Contains("total", show.Output, StringComparison.Ordinal);
        var missing = Hearth("link", "review", "show", "99999999", "--database", db);
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("no review 99999999", missing.Output, StringComparison.Ordinal);

        var idText = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, Hearth("link", "review", "accept", idText, "--database", db).Exit); // --reason is required
        Assert.NotEqual(0, Hearth("link", "review", "accept", idText, "--reason", " ", "--database", db).Exit);
        var accept = Hearth("link", "review", "accept", idText, "--reason", "same person", "--database", db);
        Assert.Equal(0, accept.Exit);
        Assert.Contains("accepted", accept.Output, StringComparison.Ordinal);

        var relink = Hearth("link", "--database", db);
        Assert.Equal(0, relink.Exit);
        Assert.Contains("Linkage run 2", relink.Output, StringComparison.Ordinal);
        Assert.Contains("(0 new, 1 retired into another)", relink.Output, StringComparison.Ordinal);
        Assert.Equal(2, Hearth("link", "--database", db, "--id", "x").Exit); // file options need --left

        await using (var context = new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite($"Data Source={db}").Options))
        {
            var review = await context.LinkReviews.SingleAsync(r => r.Id == id, ct);
            Assert.Equal(ReviewStatus.Accepted, review.Status);
            var persons = await context.PersonRecords.Where(r => r.SourceRecordId == review.LeftSourceRecordId || r.SourceRecordId == review.RightSourceRecordId)
                .Select(r => r.PersonId).Distinct().CountAsync(ct);
            Assert.Equal(1, persons);
            var actions = await context.AuditEntries.Select(a => a.Action).ToListAsync(ct);
            Assert.Contains("link.review.show", actions);
            Assert.Contains("link.accept", actions);
            Assert.All(await context.AuditEntries.Where(a => a.Action == "link.review.show").ToListAsync(ct), a =>
            {
                Assert.Equal(Environment.UserName, a.ActorId);
                Assert.Equal("DataLead", a.ActorRoles);
                Assert.Equal("linkage-review", a.Purpose);
            });
        }
    }

    /// <summary>Runs a hearth command in this process (as the README's commands), capturing what it prints.</summary>
    private static (int Exit, string Output) Hearth(params string[] args)
    {
        var root = new System.CommandLine.RootCommand();
        foreach (var command in Commands.All())
        {
            root.Subcommands.Add(command);
        }

        var output = new StringWriter();
        var (previousOut, previousError, previousConsole) = (Console.Out, Console.Error, Spectre.Console.AnsiConsole.Console);
        Console.SetOut(output);
        Console.SetError(output);
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
        });
        Spectre.Console.AnsiConsole.Console.Profile.Width = 200;
        try
        {
            var exit = root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, TestContext.Current.CancellationToken)
                .GetAwaiter().GetResult();
            return (exit, output.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            Spectre.Console.AnsiConsole.Console = previousConsole;
        }
    }

    [Fact]
    public async Task Demo_TooFewHouseholds_IsRefused() =>
        Assert.Equal(2, await Commands.RunDemoAsync(5, 1, _folder, TestContext.Current.CancellationToken));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_folder.Exists)
        {
            _folder.Delete(recursive: true);
        }
    }
}
