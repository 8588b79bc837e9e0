using System.CommandLine;

namespace Hearth.Cli;

/// <summary>
/// The hearth command's verbs. Each verb lives in its own <c>Commands.Verb.cs</c> file: it parses its
/// options, calls a Core service and prints. No verb talks to a running web app; <c>serve</c> hosts it in this process.
/// </summary>
public static partial class Commands
{
    /// <summary>Every verb, in the order <c>hearth --help</c> lists them.</summary>
    public static IEnumerable<Command> All() =>
    [
        Demo(),
        Generate(),
        Import(),
        Quality(),
        Link(),
        Identify(),
        Rules(),
        Claims(),
        Evaluate(),
        Costs(),
        Cba(),
        Contract(),
        Ledger(),
        Serve(),
        Users(),
        Audit(),
    ];
}
