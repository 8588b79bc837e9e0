using System.CommandLine;
using System.Globalization;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary>
    /// <c>hearth import --agency ID --kind KIND [--mapping FILE] FILE…</c>: imports agency extracts, prints a
    /// summary per file and optionally writes every issue to a CSV or JSON error report. Exit code 0 when every
    /// file was imported (or had been already), 1 when a file was rejected, 2 for a bad command line or mapping.
    /// </summary>
    internal static Command Import()
    {
        var agency = new Option<string>("--agency") { Description = "Agency code, e.g. police", Required = true };
        var kind = new Option<string>("--kind") { Description = "Extract kind, e.g. asb-incidents", Required = true };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "Mapping file (YAML); default: Hearth's shipped mapping for the agency and kind" };
        var errors = new Option<FileInfo?>("--errors") { Description = "Write every issue to this file: .csv or .json" };
        var user = new Option<string?>("--user") { Description = "Who is importing (recorded on each dataset); default: the login name" };
        var (database, postgres) = DatabaseOptions();
        var files = new Argument<FileInfo[]>("FILE") { Description = "Extract files (CSV or xlsx)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import agency extracts: validate, store good rows, quarantine bad rows, report issues.");
        command.Options.Add(agency);
        command.Options.Add(kind);
        command.Options.Add(mapping);
        command.Options.Add(errors);
        command.Options.Add(user);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.Arguments.Add(files);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var agencyId = parse.GetValue(agency)!;
            var kindName = parse.GetValue(kind)!;
            ExtractMapping extractMapping;
            try
            {
                var mappingFile = parse.GetValue(mapping);
                if (mappingFile is not null)
                {
                    extractMapping = MappingLoader.LoadFile(mappingFile.FullName);
                    if (!string.Equals(extractMapping.Agency, agencyId, StringComparison.Ordinal) || !string.Equals(extractMapping.Kind, kindName, StringComparison.Ordinal))
                    {
                        return FailIntake($"the mapping {mappingFile.Name} is for agency '{extractMapping.Agency}', kind '{extractMapping.Kind}', not --agency {agencyId} --kind {kindName}");
                    }
                }
                else
                {
                    var shipped = MappingLoader.FindShipped(agencyId, kindName);
                    if (shipped is null)
                    {
                        var known = string.Join(Environment.NewLine, MappingLoader.Shipped().Select(m => $"  --agency {m.Agency} --kind {m.Kind}"));
                        return FailIntake($"Hearth has no shipped mapping for agency '{agencyId}', kind '{kindName}'; give one with --mapping FILE. Shipped mappings:{Environment.NewLine}{known}");
                    }

                    extractMapping = shipped;
                }
            }
            catch (MappingException e)
            {
                await Console.Error.WriteLineAsync("hearth import: the mapping was rejected:");
                foreach (var error in e.Errors)
                {
                    await Console.Error.WriteLineAsync("  " + error);
                }

                return 2;
            }
            catch (IOException e)
            {
                return FailIntake("cannot read the mapping: " + e.Message);
            }

            var errorReport = parse.GetValue(errors);
            if (errorReport is not null && errorReport.Extension.ToLowerInvariant() is not (".csv" or ".json"))
            {
                return FailIntake("--errors must name a .csv or .json file");
            }

            if (!TryDatabase(parse, database, postgres, out var databaseOptions, out var problem))
            {
                return FailIntake(problem);
            }

            await using var services = new ServiceCollection().AddHearthCore(databaseOptions).BuildServiceProvider();
            await services.MigrateHearthDatabaseAsync(cancellationToken);
            var who = parse.GetValue(user) ?? Environment.UserName;
            var results = new List<ImportResult>();
            var exit = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                await using var scope = services.CreateAsyncScope();
                var intake = scope.ServiceProvider.GetRequiredService<IntakeService>();
                var request = new ImportRequest(file.FullName, extractMapping, who, file.Name);
                var result = await WithProgressAsync(file, p => intake.ImportAsync(request, p, cancellationToken));
                results.Add(result);
                PrintResult(result);
                if (result.Outcome == ImportOutcome.Rejected)
                {
                    exit = 1;
                }
            }

            if (errorReport is not null)
            {
                await using var scope = services.CreateAsyncScope();
                var intake = scope.ServiceProvider.GetRequiredService<IntakeService>();
                var imports = results.Select(r => (r, r.Outcome == ImportOutcome.Imported && r.DatasetId is { } id
                    ? intake.IssuesAsync(id)
                    : AsyncEnumerable.Empty<ImportIssue>()));
                if (errorReport.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
                {
                    await using var stream = errorReport.Create();
                    await ImportReport.WriteJsonAsync(stream, imports, cancellationToken);
                }
                else
                {
                    await using var writer = new StreamWriter(errorReport.FullName);
                    await ImportReport.WriteCsvAsync(writer, imports, cancellationToken);
                }

                AnsiConsole.MarkupLine($"Error report: [bold]{Markup.Escape(errorReport.FullName)}[/]");
            }

            return exit;
        });
        return command;
    }

    private static async Task<ImportResult> WithProgressAsync(FileInfo file, Func<IProgress<ImportProgress>?, Task<ImportResult>> run)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await run(null);
        }

        ImportResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(file.Name), maxValue: Math.Max(1, file.Length));
                result = await run(new ProgressTo(p => task.Value = Math.Min(p.BytesRead, task.MaxValue)));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static void PrintResult(ImportResult result)
    {
        var name = Markup.Escape(result.FileName);
        switch (result.Outcome)
        {
            case ImportOutcome.Rejected:
                AnsiConsole.MarkupLine($"[red bold]{name}: rejected, nothing stored[/]");
                foreach (var problem in result.Problems)
                {
                    AnsiConsole.MarkupLine($"  [red]{Markup.Escape(problem)}[/]");
                }

                return;
            case ImportOutcome.AlreadyImported:
                AnsiConsole.MarkupLine($"[yellow]{name}: {Markup.Escape(result.Problems[0])}[/]");
                return;
        }

        var blank = result.BlankLines > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {result.BlankLines:N0} blank lines skipped") : string.Empty;
        var period = result.Period is { } p ? string.Create(CultureInfo.InvariantCulture, $"; events {p.Start:yyyy-MM-dd} to {p.End:yyyy-MM-dd}") : string.Empty;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[green bold]{name}[/]: dataset {result.DatasetId}: {result.RowsRead:N0} rows read = {result.RowsStored:N0} stored + {result.RowsQuarantined:N0} quarantined + {result.RowsDuplicate:N0} duplicates; {result.RowsWithWarnings:N0} rows with warnings{blank}{period}"));
        if (result.IssueCounts.Count > 0)
        {
            AnsiConsole.MarkupLine("  issues: " + Markup.Escape(string.Join(", ",
                result.IssueCounts.OrderByDescending(c => c.Value).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}")))));
        }

        foreach (var issue in result.FirstIssues.Take(10))
        {
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"  row {issue.RowNumber}: {(issue.Severity == IssueSeverity.Error ? "[red]quarantined[/]" : "[yellow]warning[/]")}: {Markup.Escape(issue.Message)}"));
        }
    }

    /// <summary>The options that choose the database: a SQLite file or a PostgreSQL connection string.</summary>
    internal static (Option<FileInfo?> Sqlite, Option<string?> Postgres) DatabaseOptions() =>
    (
        new Option<FileInfo?>("--database") { Description = "SQLite database file (default: Hearth__Database__* environment variables, else hearth.db)" },
        new Option<string?>("--postgres") { Description = "PostgreSQL connection string instead of a SQLite file" }
    );

    /// <summary>
    /// Picks the database from <c>--database</c> or <c>--postgres</c>, else the environment variables
    /// <c>Hearth__Database__Provider</c>, <c>Hearth__Database__Path</c> and <c>Hearth__Database__ConnectionString</c>,
    /// else <c>hearth.db</c> in the current directory.
    /// </summary>
    internal static bool TryDatabase(ParseResult parse, Option<FileInfo?> sqlite, Option<string?> postgres, out HearthDatabaseOptions options, out string problem)
    {
        var file = parse.GetValue(sqlite);
        var connection = parse.GetValue(postgres);
        problem = string.Empty;
        options = HearthDatabaseOptions.Sqlite("hearth.db");
        if (file is not null && connection is not null)
        {
            problem = "give either --database (SQLite) or --postgres, not both";
            return false;
        }

        if (file is not null)
        {
            options = HearthDatabaseOptions.Sqlite(file.FullName);
            return true;
        }

        if (connection is not null)
        {
            options = HearthDatabaseOptions.Postgres(connection);
            return true;
        }

        var provider = Environment.GetEnvironmentVariable("Hearth__Database__Provider");
        if (provider is null)
        {
            return true;
        }

        try
        {
            options = HearthDatabaseOptions.FromConfiguration(new EnvironmentConfiguration());
            return true;
        }
        catch (InvalidOperationException e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static int FailIntake(string message)
    {
        Console.Error.WriteLine("hearth: " + message);
        return 2;
    }

    /// <summary>Reports progress on the caller's thread (Spectre's progress task is thread-safe).</summary>
    private sealed class ProgressTo(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>Configuration read from environment variables, with ':' written as '__'.</summary>
    private sealed class EnvironmentConfiguration : Microsoft.Extensions.Configuration.IConfiguration
    {
        public string? this[string key]
        {
            get => Environment.GetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal));
            set => throw new NotSupportedException();
        }

        public IEnumerable<Microsoft.Extensions.Configuration.IConfigurationSection> GetChildren() => [];

        public Microsoft.Extensions.Primitives.IChangeToken GetReloadToken() => throw new NotSupportedException();

        public Microsoft.Extensions.Configuration.IConfigurationSection GetSection(string key) => throw new NotSupportedException();
    }
}
