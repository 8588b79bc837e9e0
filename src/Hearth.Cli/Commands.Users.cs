using System.CommandLine;
using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary>
    /// <c>hearth users add|list|disable|enable|reset|end-sessions|disable-dormant</c>: local accounts. A new install has no
    /// accounts; <c>users add --role Administrator</c> provisions the first administrator with a one-time,
    /// expiring set-up code, and administrators add everyone else in the web app or here.
    /// </summary>
    internal static Command Users()
    {
        var command = new Command("users", "Local accounts: add a user with a one-time set-up code, list users, disable, enable, reset, end sessions.");
        command.Subcommands.Add(UsersAdd());
        command.Subcommands.Add(UsersList());
        command.Subcommands.Add(UsersChange("disable", "Disable a user; their sessions end at their next request.", (a, u, c) => a.DisableAsync(u, UserAccounts.CommandLine, c), "disabled; their sessions have ended"));
        command.Subcommands.Add(UsersChange("enable", "Enable a disabled user.", (a, u, c) => a.EnableAsync(u, UserAccounts.CommandLine, c), "enabled"));
        command.Subcommands.Add(UsersReset());
        command.Subcommands.Add(UsersEndSessions());
        command.Subcommands.Add(UsersDisableDormant());
        return command;
    }

    private static Command UsersAdd()
    {
        var userName = new Option<string>("--user-name") { Description = "Sign-in name (letters, digits, . - _ @)", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown in lists (default: the user name)" };
        var roles = new Option<HearthRole[]>("--role") { Description = "A role (repeat for more): " + string.Join(", ", Enum.GetNames<HearthRole>()), Required = true, AllowMultipleArgumentsPerToken = true };
        var team = new Option<string?>("--team") { Description = "Team of a key worker or team manager" };
        var agency = new Option<string?>("--agency") { Description = "Agency of a partner practitioner" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("add", "Add a user and print their one-time set-up code (valid 72 hours).");
        foreach (var option in new Option[] { userName, displayName, roles, team, agency, database, postgres })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => WithAccountsAsync(parse, database, postgres, async accounts =>
        {
            var created = await accounts.CreateAsync(parse.GetValue(userName)!, parse.GetValue(displayName) ?? string.Empty,
                parse.GetValue(roles) ?? [], parse.GetValue(team), parse.GetValue(agency), UserAccounts.CommandLine, cancellationToken);
            PrintSetupCode(created);
            return 0;
        }));
        return command;
    }

    private static Command UsersList()
    {
        var (database, postgres) = DatabaseOptions();
        var command = new Command("list", "Every user with roles, team or agency, state, last sign-in and open sessions (the access review report).");
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction((parse, cancellationToken) => WithAccountsAsync(parse, database, postgres, async accounts =>
        {
            var rows = await accounts.ReportAsync(cancellationToken);
            if (rows.Count == 0)
            {
                AnsiConsole.MarkupLine("No users yet. Add the first administrator with: hearth users add --user-name NAME --role Administrator");
                return 0;
            }

            var table = new Table().AddColumns("user", "roles", "team or agency", "state", "last sign-in (UTC)", "open sessions");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.UserName), string.Join(", ", r.Roles.Order()), Markup.Escape(r.TeamId ?? r.AgencyId ?? ""),
                    r.Disabled ? "disabled" : r.SetUp ? "active" : "not set up",
                    r.LastSignInUtc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never",
                    r.ActiveSessions.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command UsersChange(string name, string description, Func<UserAccounts, string, CancellationToken, Task> change, string done)
    {
        var user = new Argument<string>("user") { Description = "User name or id" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command(name, description);
        command.Arguments.Add(user);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction((parse, cancellationToken) => WithAccountsAsync(parse, database, postgres, async accounts =>
        {
            await change(accounts, parse.GetValue(user)!, cancellationToken);
            Console.WriteLine($"{parse.GetValue(user)}: {done}.");
            return 0;
        }));
        return command;
    }

    private static Command UsersReset()
    {
        var user = new Argument<string>("user") { Description = "User name or id" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("reset", "Issue a new one-time set-up code (new password and authenticator) and end the user's sessions.");
        command.Arguments.Add(user);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction((parse, cancellationToken) => WithAccountsAsync(parse, database, postgres, async accounts =>
        {
            PrintSetupCode(await accounts.ResetAsync(parse.GetValue(user)!, UserAccounts.CommandLine, cancellationToken));
            return 0;
        }));
        return command;
    }

    private static Command UsersEndSessions()
    {
        var user = new Argument<string?>("user") { Description = "User name or id (omit with --all)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "End every user's sessions" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("end-sessions", "End one user's sessions, or everyone's with --all.");
        command.Arguments.Add(user);
        command.Options.Add(all);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction((parse, cancellationToken) =>
        {
            var who = parse.GetValue(user);
            if ((who is null) != parse.GetValue(all))
            {
                return Task.FromResult(FailIntake("users end-sessions: give a user or --all (not both)"));
            }

            return WithAccountsAsync(parse, database, postgres, async accounts =>
            {
                var ended = await accounts.EndSessionsAsync(who, UserAccounts.CommandLine, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ended} sessions ended."));
                return 0;
            });
        });
        return command;
    }

    private static Command UsersDisableDormant()
    {
        var days = new Option<int>("--days") { Description = "Disable enabled accounts with no sign-in for more than this many days (never signed in: since created)", DefaultValueFactory = _ => 90 };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the dormant accounts without disabling them" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("disable-dormant", "Disable dormant accounts (no sign-in for more than --days, 90 by default); run it daily. Each is audited.");
        foreach (var option in new Option[] { days, dryRun, database, postgres })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var limit = parse.GetValue(days);
            if (limit < 1)
            {
                return Task.FromResult(FailIntake("users disable-dormant: --days must be a whole number of days, 1 or more"));
            }

            return WithAccountsAsync(parse, database, postgres, async accounts =>
            {
                var dry = parse.GetValue(dryRun);
                var dormant = await accounts.DisableDormantAsync(limit, dry, UserAccounts.CommandLine, cancellationToken);
                foreach (var d in dormant)
                {
                    Console.WriteLine($"{d.User.UserName}: {d.Explanation}");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{dormant.Count} dormant accounts (no sign-in for more than {limit} days){(dry ? "; none disabled (dry run)" : dormant.Count == 0 ? "." : " disabled; their sessions have ended.")}"));
                return 0;
            });
        });
        return command;
    }

    private static async Task<int> WithAccountsAsync(ParseResult parse, Option<FileInfo?> database, Option<string?> postgres, Func<UserAccounts, Task<int>> work)
    {
        if (!TryDatabase(parse, database, postgres, out var options, out var problem))
        {
            return FailIntake(problem);
        }

        await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
        await services.MigrateHearthDatabaseAsync();
        await using var scope = services.CreateAsyncScope();
        try
        {
            return await work(scope.ServiceProvider.GetRequiredService<UserAccounts>());
        }
        catch (UserAccountException e)
        {
            return FailIntake(e.Message);
        }
    }

    private static void PrintSetupCode(ProvisionedUser created)
    {
        Console.WriteLine($"User:       {created.User.UserName} ({created.User.Roles})");
        Console.WriteLine($"Set-up code: {created.SetupSecret}");
        Console.WriteLine($"Expires:    {created.ExpiresUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; it works once and is not shown again.");
        Console.WriteLine("The user opens /account/setup in Hearth, enters the code, chooses a password and adds Hearth to an authenticator app.");
    }
}
