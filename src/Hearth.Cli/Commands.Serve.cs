using System.CommandLine;
using Hearth.Core.Data;
using Microsoft.Extensions.Hosting;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth serve [--database FILE | --postgres CS] [--urls URLS]</c>: the web app on a store, in this process.</summary>
    internal static Command Serve()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("serve", "Run the web app on a store. Users sign in with their password and an authenticator code; add the first administrator with 'hearth users add'.");
        command.Options.Add(urls);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryDatabase(parse, database, postgres, out var options, out var problem))
            {
                return FailIntake(problem);
            }

            await using var app = await HearthWebHost.BuildAsync(options, parse.GetValue(urls)!, cancellationToken: cancellationToken);
            AnsiConsole.MarkupLine(Markup.Escape($"Hearth on {options.Describe()}, at {parse.GetValue(urls)} (Ctrl+C to stop)."));
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Serves the demo store with one account per role and second factor off, saying so plainly.</summary>
    internal static async Task<int> ServeDemoAsync(string databasePath, string urls, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?> { ["Hearth:Security:RequireSecondFactor"] = "false" };
        await using var app = await HearthWebHost.BuildAsync(HearthDatabaseOptions.Sqlite(databasePath), urls, settings, cancellationToken);
        var accounts = await DemoAccounts.CreateAsync(app.Services, cancellationToken);
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine("[bold]Demo accounts[/] (new random passwords each time the demo starts; shown only now):");
        var table = new Table().AddColumns("role", "user name", "password");
        foreach (var a in accounts)
        {
            table.AddRow(a.Role.ToString(), a.UserName, a.Password);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[bold yellow]DEMO ONLY: the authenticator (second factor) is not required in this demo.[/] " +
            "A real installation requires it for every user and has no accounts until 'hearth users add' provisions the first administrator.");
        AnsiConsole.MarkupLine(Markup.Escape($"Hearth is at {urls} (Ctrl+C to stop)."));
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
