using System.CommandLine;
using Hearth.Cli;

var root = new RootCommand(
    "Hearth: find the families who need help, work with them, pay for results and prove what worked.");
foreach (var command in Commands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
