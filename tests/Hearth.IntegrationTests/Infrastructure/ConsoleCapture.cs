using System.CommandLine;
using Hearth.Cli;

namespace Hearth.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that run <c>hearth</c> verbs in process and read what they print swap the process-wide
/// <see cref="Console"/> writers; they run alone, one at a time, so no other test's output lands in theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "in-process commands that capture the console";

    /// <summary>Runs <c>hearth <paramref name="args"/></c> in this process and returns its exit code and what it printed.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunHearthAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in Commands.All())
        {
            root.Subcommands.Add(command);
        }

        var error = new StringWriter();
        var output = new StringWriter();
        var (previousError, previousOut) = (Console.Error, Console.Out);
        Console.SetError(error);
        Console.SetOut(output);
        try
        {
            var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Error = error, Output = output }, TestContext.Current.CancellationToken);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetError(previousError);
            Console.SetOut(previousOut);
        }
    }
}
