using System.CommandLine;
using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Linkage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary>The person at the terminal: the local OS user, as a data lead (the role that runs linkage and reviews links).</summary>
    internal static Actor LocalDataLead() =>
        new(Environment.UserName, Environment.UserName, new HashSet<HearthRole> { HearthRole.DataLead });

    /// <summary><c>hearth link review list|show|accept|reject</c>: the queue of uncertain pairs.</summary>
    internal static Command LinkReview()
    {
        var (database, postgres) = DatabaseOptions();
        var review = new Command("review", "The review queue: pairs of records between the review and the automatic thresholds, for a person to decide.");

        var status = new Option<string?>("--status") { Description = "pending, accepted or rejected (default: all)" };
        var limit = new Option<int>("--limit") { Description = "How many pairs to list", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List review pairs, strongest first (ids, weights and agencies; no personal details).");
        list.Options.Add(status);
        list.Options.Add(limit);
        list.Options.Add(database);
        list.Options.Add(postgres);
        list.SetAction((parse, ct) => WithLinkage(parse, database, postgres, async service =>
        {
            ReviewStatus? wanted = null;
            if (parse.GetValue(status) is { } text)
            {
                if (!Enum.TryParse<ReviewStatus>(text, ignoreCase: true, out var s) || !Enum.IsDefined(s) || int.TryParse(text, CultureInfo.InvariantCulture, out _))
                {
                    return FailIntake($"hearth link review list: --status must be pending, accepted or rejected, not '{text}'");
                }

                wanted = s;
            }

            if (parse.GetValue(limit) < 1)
            {
                return FailIntake("hearth link review list: --limit must be at least 1");
            }

            var rows = await service.ListReviewsAsync(LocalDataLead(), wanted, parse.GetValue(limit), ct);
            var table = new Table().AddColumns("id", "status", "weight", "probability", "left record", "right record", "decided by");
            foreach (var r in rows)
            {
                table.AddRow(
                    r.Id.ToString(CultureInfo.InvariantCulture), r.Status.ToString().ToLowerInvariant(),
                    r.MatchWeight.ToString("F2", CultureInfo.InvariantCulture), r.MatchProbability.ToString("F3", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.LeftAgency} #{r.LeftSourceRecordId}")),
                    Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.RightAgency} #{r.RightSourceRecordId}")),
                    Markup.Escape(r.DecidedBy ?? "-"));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"{rows.Count} shown. Decide with: hearth link review show ID, then accept ID --reason TEXT or reject ID --reason TEXT"));
            return 0;
        }, ct));

        var idArgument = new Argument<long>("ID") { Description = "Review id (from hearth link review list)" };
        var show = new Command("show", "Show both records of a pair side by side with each comparison's weight (audited).");
        show.Arguments.Add(idArgument);
        show.Options.Add(database);
        show.Options.Add(postgres);
        show.SetAction((parse, ct) => WithLinkage(parse, database, postgres, async service =>
        {
            var d = await service.ShowReviewAsync(LocalDataLead(), parse.GetValue(idArgument), ct);
            var records = new Table().AddColumns("", "left", "right");
            void Row(string name, Func<SourceRecord, string?> value) =>
                records.AddRow(name, Markup.Escape(value(d.Left) ?? ""), Markup.Escape(value(d.Right) ?? ""));
            Row("source record", r => r.Id.ToString(CultureInfo.InvariantCulture));
            Row("agency", r => r.AgencyId);
            Row("agency record id", r => r.AgencyRecordId);
            records.AddRow("person now", Markup.Escape(d.LeftPerson ?? "-"), Markup.Escape(d.RightPerson ?? "-"));
            Row("given name", r => r.GivenName);
            Row("family name", r => r.FamilyName);
            Row("date of birth", r => r.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Row("sex", r => r.Sex);
            Row("address", r => r.Address);
            Row("postcode", r => r.Postcode);
            Row("UPRN", r => r.Uprn);
            Row("NHS number", r => r.NhsNumber);
            Row("NINO", r => r.Nino);
            Row("UPN", r => r.Upn);
            AnsiConsole.Write(records);
            var weights = new Table().AddColumns("comparison", "level", "weight", "term frequency");
            weights.AddRow("prior", "", F2(d.Explanation.Prior), "");
            foreach (var t in d.Explanation.Terms)
            {
                weights.AddRow(Markup.Escape(t.Field), Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{t.Level}: {t.Label}")), F2(t.Weight),
                    t.TermFrequencyAdjustment == 0 ? "" : F2(t.TermFrequencyAdjustment));
            }

            weights.AddRow("[bold]total[/]", "", "[bold]" + F2(d.Explanation.Total) + "[/]", "");
            AnsiConsole.Write(weights);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Review {d.Review.Id}: {d.Review.Status.ToString().ToLowerInvariant()}, match probability {d.Review.MatchProbability:F3}{(d.Review.DecidedBy is null ? "" : $", decided by {d.Review.DecidedBy}: {d.Review.Reason}")}.")));
            return 0;
        }, ct));

        review.Subcommands.Add(list);
        review.Subcommands.Add(show);
        review.Subcommands.Add(Decide("accept", "Decide the pair is one person; the next hearth link joins them.", ReviewStatus.Accepted));
        review.Subcommands.Add(Decide("reject", "Decide the pair is two people; no later hearth link joins them.", ReviewStatus.Rejected));
        return review;

        static string F2(double value) => value.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
    }

    private static Command Decide(string name, string description, ReviewStatus decision)
    {
        var (database, postgres) = DatabaseOptions();
        var id = new Argument<long>("ID") { Description = "Review id" };
        var reason = new Option<string>("--reason") { Description = "Why (required; kept with the decision)", Required = true };
        var command = new Command(name, description);
        command.Arguments.Add(id);
        command.Options.Add(reason);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction((parse, ct) => WithLinkage(parse, database, postgres, async service =>
        {
            var why = parse.GetValue(reason);
            if (string.IsNullOrWhiteSpace(why))
            {
                return FailIntake($"hearth link review {name}: --reason must say why");
            }

            var review = decision == ReviewStatus.Accepted
                ? await service.AcceptAsync(LocalDataLead(), parse.GetValue(id), why, ct)
                : await service.RejectAsync(LocalDataLead(), parse.GetValue(id), why, ct);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Review {review.Id} {review.Status.ToString().ToLowerInvariant()} by {review.DecidedBy}. Run hearth link to apply it.")));
            return 0;
        }, ct));
        return command;
    }

    private static async Task<int> WithLinkage(
        ParseResult parse, Option<FileInfo?> database, Option<string?> postgres, Func<PersonLinkageService, Task<int>> work, CancellationToken cancellationToken)
    {
        if (!TryDatabase(parse, database, postgres, out var options, out var problem))
        {
            return FailIntake(problem);
        }

        await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
        await services.MigrateHearthDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        try
        {
            return await work(scope.ServiceProvider.GetRequiredService<PersonLinkageService>());
        }
        catch (KeyNotFoundException e)
        {
            return FailIntake(e.Message);
        }
        catch (ArgumentException e)
        {
            return FailIntake(e.Message);
        }
    }

    private static async Task<int> RunStoreLinkAsync(
        HearthDatabaseOptions options, double? thresholdWeight, double? reviewWeight, DateOnly? asOf, DirectoryInfo? truth, CancellationToken cancellationToken)
    {
        if (truth is not null && !File.Exists(Path.Combine(truth.FullName, "records.csv")))
        {
            return FailIntake($"hearth link: --truth {truth.FullName} has no records.csv (give the truth folder hearth generate writes)");
        }

        await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
        await services.MigrateHearthDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        PersonLinkageResult result;
        try
        {
            result = await scope.ServiceProvider.GetRequiredService<PersonLinkageService>().RunAsync(
                LocalDataLead(), new PersonLinkageOptions { ThresholdWeight = thresholdWeight, ReviewWeight = reviewWeight, AsOf = asOf }, cancellationToken);
        }
        catch (LinkageInputException e)
        {
            return FailIntake("hearth link: " + e.Message);
        }

        PrintStoreLinkage(result, truth is null ? null : LinkageTruth.Measure(result, truth.FullName));
        return 0;
    }

    /// <summary>Prints a persisted run: counts, review queue, households and families, and accuracy when measured. No names.</summary>
    internal static void PrintStoreLinkage(PersonLinkageResult result, LinkageTruthReport? truth)
    {
        var run = result.Run;
        var o = result.Outcome;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Linkage run {run.Id}: {run.SourceRecords:N0} source records carrying {o.Records.Table.Count:N0} distinct sets of person details; {run.CandidatePairs:N0} candidate pairs; {run.LinkedPairs:N0} linked at match weight {run.ThresholdWeight:F2} or more; {o.Clusters.Cuts.Count:N0} links cut (conflicting identifiers or a reviewer's rejection).")));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Persons: {run.Persons:N0} ({run.NewPersons:N0} new, {result.RetiredPersons:N0} retired into another). Review queue: {result.PendingReviews:N0} pairs pending between match weight {run.ReviewWeight:F2} and {run.ThresholdWeight:F2} (hearth link review list).")));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Households on {result.Households.AsOf:yyyy-MM-dd}: {run.Households:N0} occupied dwellings ({result.Households.Dwellings.Count:N0} dwellings seen over time); families with a child: {run.Families:N0} ({result.RetiredFamilies:N0} retired).")));
        AnsiConsole.MarkupLine(Markup.Escape("Time: " + string.Join(", ", result.Timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Time.TotalSeconds:F1} s")))));
        if (truth is null)
        {
            return;
        }

        var l = truth.Linkage;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Against the truth: distinct details pairwise precision {l.Pairwise!.Precision:F4}, recall {l.Pairwise.Recall:F4}; persons over distinct details precision {l.ClusterAccuracy!.Pairwise.Precision:F4}, recall {l.ClusterAccuracy.Pairwise.Recall:F4}, {l.ClusterAccuracy.ExactEntityRate:P1} exactly; over source records precision {truth.PersonsOverSourceRecords.Precision:F4}, recall {truth.PersonsOverSourceRecords.Recall:F4}.")));
        var pairs = new Table().AddColumns("agencies", "true pairs", "precision", "recall");
        foreach (var a in truth.PersonsByAgencyPair)
        {
            pairs.AddRow(Markup.Escape(a.LeftAgency == a.RightAgency ? a.LeftAgency + " (within)" : a.LeftAgency + " – " + a.RightAgency),
                a.TruePairs.ToString("N0", CultureInfo.InvariantCulture), a.Precision.ToString("F4", CultureInfo.InvariantCulture), a.Recall.ToString("F4", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(pairs);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Households on {truth.AsOf:yyyy-MM-dd} (people living together): precision {truth.Households.Precision:F4}, recall {truth.Households.Recall:F4}, {truth.Households.ExactRate:P1} of true households exactly.")));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Families with a child: {truth.Families.FoundGroups:N0} found, {truth.TrueFamiliesWithChildren:N0} true; members precision {truth.Families.Precision:F4}, recall {truth.Families.Recall:F4}, {truth.Families.ExactRate:P1} exactly; inferred relationships agree with the truth for {truth.RelationshipAgreement:P1} of members.")));
    }
}
