using System.CommandLine;
using System.Globalization;
using Hearth.Core.Synthetic;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth generate</c>: writes the synthetic borough (extracts, truth and manifest).</summary>
    internal static Command Generate()
    {
        var households = new Option<int>("--households") { Description = "Number of households to generate (1 to 2,000,000).", DefaultValueFactory = _ => 2000 };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed and settings give byte-identical output.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output directory (created if missing).", DefaultValueFactory = _ => "./northbridge" };
        var start = new Option<string>("--start") { Description = "First day of the period, yyyy-MM-dd (the first of a month).", DefaultValueFactory = _ => "2019-09-01" };
        var end = new Option<string>("--end") { Description = "Last day of the period, yyyy-MM-dd.", DefaultValueFactory = _ => "2025-08-31" };
        var errors = new Option<string?>("--errors") { Description = "YAML file overriding error rates (see docs/synthetic-borough.md)." };
        var programme = new Option<string?>("--programme") { Description = "YAML file overriding the programme's true effects and selection." };
        var command = new Command("generate", "Generate the synthetic borough: households, agency extracts with realistic errors, and the ground truth.");
        command.Options.Add(households);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(start);
        command.Options.Add(end);
        command.Options.Add(errors);
        command.Options.Add(programme);
        command.SetAction(parseResult => RunGenerate(
            new GenerateArguments(
                parseResult.GetValue(households),
                parseResult.GetValue(seed),
                parseResult.GetValue(output) ?? "./northbridge",
                parseResult.GetValue(start) ?? "2019-09-01",
                parseResult.GetValue(end) ?? "2025-08-31",
                parseResult.GetValue(errors),
                parseResult.GetValue(programme)),
            Console.Out,
            Console.Error,
            interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected));
        return command;
    }

    /// <summary>The generate verb's arguments as typed by the user (dates still text, so errors can quote them).</summary>
    internal sealed record GenerateArguments(int Households, long Seed, string Out, string Start, string End, string? ErrorsFile, string? ProgrammeFile);

    /// <summary>Validates the arguments, runs the generator and prints a summary. Returns the process exit code.</summary>
    internal static int RunGenerate(GenerateArguments args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var problems = new List<string>();
        var startDate = ParseDate("--start", args.Start, problems);
        var endDate = ParseDate("--end", args.End, problems);
        ErrorRates? rates = null;
        ProgrammeSettings? programme = null;
        try
        {
            rates = args.ErrorsFile is null ? new ErrorRates() : GeneratorSettingsFile.ReadErrors(args.ErrorsFile);
        }
        catch (InvalidDataException e)
        {
            problems.Add("--errors: " + e.Message);
        }

        try
        {
            programme = args.ProgrammeFile is null ? new ProgrammeSettings() : GeneratorSettingsFile.ReadProgramme(args.ProgrammeFile);
        }
        catch (InvalidDataException e)
        {
            problems.Add("--programme: " + e.Message);
        }

        if (problems.Count > 0 || startDate is null || endDate is null || rates is null || programme is null)
        {
            return Fail(stderr, problems);
        }

        var settings = new GeneratorSettings
        {
            Households = args.Households,
            Seed = args.Seed,
            Start = startDate.Value,
            End = endDate.Value,
            Errors = rates,
            Programme = programme,
        };
        problems.AddRange(settings.Validate());
        if (string.IsNullOrWhiteSpace(args.Out))
        {
            problems.Add("--out must name a directory.");
        }
        else if (File.Exists(args.Out))
        {
            problems.Add($"--out {args.Out} is a file, not a directory.");
        }

        if (problems.Count > 0)
        {
            return Fail(stderr, problems);
        }

        GenerationResult result;
        try
        {
            if (interactive)
            {
                GenerationResult? done = null;
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("Generating households", maxValue: settings.Households);
                    done = BoroughGenerator.Generate(settings, args.Out, new Progress<int>(n => task.Value = n));
                    task.Value = settings.Households;
                });
                result = done!;
            }
            else
            {
                result = BoroughGenerator.Generate(settings, args.Out);
            }
        }
        catch (IOException e)
        {
            return Fail(stderr, [e.Message]);
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(stderr, [$"cannot write to {args.Out}: {e.Message}"]);
        }

        stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Northbridge: {result.Households:N0} households, {result.People:N0} people, {result.CohortFamilies:N0} families in the programme cohort ({result.TreatedFamilies:N0} attached), written to {result.OutputDirectory}"));
        foreach (var (path, rows) in result.RowCounts)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {path,-36} {rows,12:N0} rows"));
        }

        return 0;
    }

    private static DateOnly? ParseDate(string option, string text, List<string> problems)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        problems.Add($"{option} '{text}' is not a date in the form yyyy-MM-dd.");
        return null;
    }

    private static int Fail(TextWriter stderr, IEnumerable<string> problems)
    {
        foreach (var p in problems)
        {
            stderr.WriteLine("error: " + p);
        }

        return 2;
    }
}
