using System.CommandLine;
using System.Globalization;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary>The configuration key (environment variable <c>Hearth__Audit__CheckpointKeyFile</c>) naming the checkpoint key file.</summary>
    internal const string CheckpointKeySetting = "Hearth:Audit:CheckpointKeyFile";

    /// <summary>
    /// <c>hearth audit verify|checkpoint|keygen</c>: check the audit log's hash chain and signed checkpoints,
    /// sign the current head with the key kept outside the database, or create that key.
    /// </summary>
    internal static Command Audit()
    {
        var command = new Command("audit", "The tamper-evident audit log: verify the hash chain and checkpoints, sign a checkpoint, create the signing key.");
        command.Subcommands.Add(AuditVerify());
        command.Subcommands.Add(AuditCheckpoint());
        command.Subcommands.Add(AuditKeygen());
        return command;
    }

    private static Option<FileInfo?> KeyFileOption() => new("--key-file")
    {
        Description = "Checkpoint key file, kept outside the database (default: the Hearth__Audit__CheckpointKeyFile environment variable)",
    };

    private static Command AuditVerify()
    {
        var keyFile = KeyFileOption();
        var (database, postgres) = DatabaseOptions();
        var command = new Command("verify", "Walk the audit chain from the first entry; report the first broken sequence number and any checkpoint that fails. Exit 1 if anything fails.");
        command.Options.Add(keyFile);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryDatabase(parse, database, postgres, out var options, out var problem))
            {
                return FailIntake(problem);
            }

            AuditCheckpointKey? key = null;
            var path = KeyPath(parse, keyFile);
            if (path is not null)
            {
                try
                {
                    key = AuditCheckpointKey.Load(path);
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    return FailIntake(e.Message);
                }
            }

            await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
            await services.MigrateHearthDatabaseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var result = await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), key, cancellationToken);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"Audit log: {result.Entries:N0} entries, {result.Checkpoints:N0} checkpoints ({(key is null ? "signatures not checked: no key file given" : $"{result.SignaturesChecked:N0} signatures checked with key {key.KeyId}")})."));
            if (result.FirstBrokenSequence is { } broken)
            {
                Console.WriteLine(string.Create(inv, $"BROKEN at sequence {broken}: {result.Reason}."));
            }
            else
            {
                Console.WriteLine("Hash chain: intact.");
            }

            foreach (var p in result.CheckpointProblems)
            {
                Console.WriteLine("CHECKPOINT FAILS: " + p + ".");
            }

            return result.Intact ? 0 : 1;
        });
        return command;
    }

    private static Command AuditCheckpoint()
    {
        var keyFile = KeyFileOption();
        var (database, postgres) = DatabaseOptions();
        var command = new Command("checkpoint", "Sign the current head of the audit chain (sequence, head hash, time) with the key file and store the checkpoint. Run it on a schedule and copy the output off the server.");
        command.Options.Add(keyFile);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryDatabase(parse, database, postgres, out var options, out var problem))
            {
                return FailIntake(problem);
            }

            var path = KeyPath(parse, keyFile);
            if (path is null)
            {
                return FailIntake("audit checkpoint: give --key-file or set Hearth__Audit__CheckpointKeyFile");
            }

            AuditCheckpointKey key;
            try
            {
                key = AuditCheckpointKey.Load(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                return FailIntake(e.Message);
            }

            await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
            await services.MigrateHearthDatabaseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var checkpoint = await AuditChain.CheckpointAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), key,
                scope.ServiceProvider.GetRequiredService<TimeProvider>(), cancellationToken);
            if (checkpoint is null)
            {
                Console.WriteLine("The audit log is empty: nothing to sign.");
                return 0;
            }

            // One line to copy to a separate store (a SIEM, another server): enough to check the log later.
            Console.WriteLine(string.Join(' ',
                "checkpoint",
                "sequence=" + checkpoint.Sequence.ToString(CultureInfo.InvariantCulture),
                "head=" + checkpoint.HeadHash,
                "time=" + checkpoint.CreatedUtc.ToString("O", CultureInfo.InvariantCulture),
                "key=" + checkpoint.KeyId,
                "signature=" + checkpoint.Signature));
            return 0;
        });
        return command;
    }

    private static Command AuditKeygen()
    {
        var keyFile = KeyFileOption();
        keyFile.Required = true;
        var command = new Command("keygen", "Create a new random checkpoint key file (owner read/write only). Keep it off the database server's disks where you can.");
        command.Options.Add(keyFile);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(keyFile)!.FullName;
            try
            {
                var key = AuditCheckpointKey.Create(path);
                Console.WriteLine($"Created {path} (key id {key.KeyId}).");
                return 0;
            }
            catch (IOException e)
            {
                return FailIntake(e.Message);
            }
        });
        return command;
    }

    private static string? KeyPath(ParseResult parse, Option<FileInfo?> keyFile) =>
        parse.GetValue(keyFile)?.FullName ?? Environment.GetEnvironmentVariable(CheckpointKeySetting.Replace(":", "__", StringComparison.Ordinal));
}
