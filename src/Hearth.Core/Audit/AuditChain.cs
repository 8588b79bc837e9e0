using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Audit;

/// <summary>
/// The audit log as a hash chain. Entry n stores <c>prev_hash</c> (entry n-1's row hash; 64 zeros for entry 1)
/// and <c>row_hash = SHA-256(prev_hash bytes ‖ UTF-8 canonical entry)</c>. Appends are serialised (an advisory
/// transaction lock on PostgreSQL; SQLite's single writer, taken when the transaction begins), so sequence
/// numbers are 1, 2, 3, … with no gaps. Changing, removing or reordering any row breaks the chain from that
/// row on; rewriting the whole tail is caught by the signed checkpoints (<see cref="AuditCheckpoint"/>).
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Takes the PostgreSQL advisory transaction lock (key "HearthAu") that serialises appends.</summary>
    private const string AppendLockSql = "SELECT pg_advisory_xact_lock(5216682887585743221)";

    /// <summary>
    /// The canonical text of an entry: each field as <c>length:value</c> (or <c>~</c> for null) on its own line,
    /// in a fixed order, so no two different entries share a text. Time is in .NET ticks (100 ns) since 0001-01-01 UTC.
    /// </summary>
    public static string Canonical(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var builder = new StringBuilder(256);
        Field(builder, entry.Id.ToString(CultureInfo.InvariantCulture));
        Field(builder, entry.OccurredUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        Field(builder, entry.ActorId);
        Field(builder, entry.ActorName);
        Field(builder, entry.ActorRoles);
        Field(builder, entry.Action);
        Field(builder, entry.SubjectType);
        Field(builder, entry.SubjectId);
        Field(builder, entry.Purpose);
        Field(builder, entry.Outcome);
        Field(builder, entry.Detail);
        Field(builder, entry.ClientAddress);
        Field(builder, entry.CorrelationId);
        return builder.ToString();

        static void Field(StringBuilder b, string? value)
        {
            if (value is null)
            {
                b.Append('~');
            }
            else
            {
                b.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            }

            b.Append('\n');
        }
    }

    /// <summary>SHA-256(prev hash bytes ‖ UTF-8 canonical entry), lower-case hex.</summary>
    public static string ComputeRowHash(string prevHash, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(prevHash);
        var prev = Convert.FromHexString(prevHash);
        var body = Encoding.UTF8.GetBytes(Canonical(entry));
        var buffer = new byte[prev.Length + body.Length];
        prev.CopyTo(buffer, 0);
        body.CopyTo(buffer, prev.Length);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    /// <summary>Takes the append lock, reads the head and numbers and hashes <paramref name="pending"/> after it.</summary>
    internal static void Seal(HearthDb db, IReadOnlyList<AuditEntry> pending)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            db.Database.ExecuteSqlRaw(AppendLockSql);
        }

        var head = db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Select(a => new { a.Id, a.RowHash }).FirstOrDefault();
        Link(pending, head?.Id ?? 0, head?.RowHash ?? Genesis);
    }

    /// <inheritdoc cref="Seal"/>
    internal static async Task SealAsync(HearthDb db, IReadOnlyList<AuditEntry> pending, CancellationToken cancellationToken)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync(AppendLockSql, cancellationToken);
        }

        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id)
            .Select(a => new { a.Id, a.RowHash }).FirstOrDefaultAsync(cancellationToken);
        Link(pending, head?.Id ?? 0, head?.RowHash ?? Genesis);
    }

    private static void Link(IReadOnlyList<AuditEntry> pending, long lastId, string lastHash)
    {
        foreach (var entry in pending)
        {
            entry.Id = checked(lastId + 1);
            entry.PrevHash = lastHash;
            entry.RowHash = ComputeRowHash(lastHash, entry);
            lastId = entry.Id;
            lastHash = entry.RowHash;
        }
    }

    /// <summary>
    /// Walks the whole chain in sequence order and checks every link, then every checkpoint against the chain and,
    /// when <paramref name="key"/> is given, its signature. Reports the first broken sequence number.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(HearthDb db, AuditCheckpointKey? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        long expected = 1;
        var prevHash = Genesis;
        long? brokenAt = null;
        string? reason = null;
        var headHashes = new Dictionary<long, string>();
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var wanted = checkpoints.Select(c => c.Sequence).ToHashSet();

        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (brokenAt is null)
            {
                if (entry.Id != expected)
                {
                    brokenAt = expected;
                    reason = entry.Id > expected
                        ? $"entries {expected.ToString(CultureInfo.InvariantCulture)} to {(entry.Id - 1).ToString(CultureInfo.InvariantCulture)} are missing"
                        : $"sequence {entry.Id.ToString(CultureInfo.InvariantCulture)} is out of order";
                }
                else if (!string.Equals(entry.PrevHash, prevHash, StringComparison.Ordinal))
                {
                    brokenAt = entry.Id;
                    reason = "its previous hash does not match the row hash of the entry before";
                }
                else if (!string.Equals(entry.RowHash, ComputeRowHash(entry.PrevHash, entry), StringComparison.Ordinal))
                {
                    brokenAt = entry.Id;
                    reason = "its content does not match its row hash (the row was changed)";
                }
            }

            if (wanted.Contains(entry.Id))
            {
                headHashes[entry.Id] = entry.RowHash;
            }

            prevHash = entry.RowHash;
            expected = entry.Id + 1;
        }

        var entries = expected - 1;
        var problems = new List<string>();
        var signaturesChecked = 0;
        foreach (var checkpoint in checkpoints)
        {
            var at = checkpoint.Sequence.ToString(CultureInfo.InvariantCulture);
            if (key is not null)
            {
                if (!string.Equals(checkpoint.KeyId, key.KeyId, StringComparison.Ordinal))
                {
                    problems.Add($"checkpoint {checkpoint.Id.ToString(CultureInfo.InvariantCulture)} at sequence {at} was signed with key {checkpoint.KeyId}, not the key given ({key.KeyId})");
                    continue;
                }

                if (!key.Verify(checkpoint))
                {
                    problems.Add($"checkpoint {checkpoint.Id.ToString(CultureInfo.InvariantCulture)} at sequence {at} has an invalid signature (forged or altered)");
                    continue;
                }

                signaturesChecked++;
            }

            if (!headHashes.TryGetValue(checkpoint.Sequence, out var hash))
            {
                problems.Add($"checkpoint at sequence {at} covers entries the log no longer holds (it has {entries.ToString(CultureInfo.InvariantCulture)})");
            }
            else if (!string.Equals(hash, checkpoint.HeadHash, StringComparison.Ordinal))
            {
                problems.Add($"entry {at} no longer has the hash its signed checkpoint recorded (the chain was rewritten)");
            }
        }

        return new AuditVerification(entries, brokenAt, reason, checkpoints.Count, signaturesChecked, problems);
    }

    /// <summary>Signs the current head of the chain and stores the checkpoint.</summary>
    public static async Task<AuditCheckpoint?> CheckpointAsync(HearthDb db, AuditCheckpointKey key, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(clock);
        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id)
            .Select(a => new { a.Id, a.RowHash }).FirstOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var checkpoint = new AuditCheckpoint
        {
            Sequence = head.Id,
            HeadHash = head.RowHash,
            CreatedUtc = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc),
            KeyId = key.KeyId,
            Signature = string.Empty,
        };
        checkpoint.Signature = key.Sign(checkpoint);
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        return checkpoint;
    }
}

/// <summary>The result of <see cref="AuditChain.VerifyAsync"/>.</summary>
/// <param name="Entries">How many entries the log holds (the last contiguous sequence number).</param>
/// <param name="FirstBrokenSequence">The first sequence number whose link fails, or null when the chain is whole.</param>
/// <param name="Reason">Why that entry fails.</param>
/// <param name="Checkpoints">How many checkpoints were found.</param>
/// <param name="SignaturesChecked">How many checkpoint signatures were verified with the key.</param>
/// <param name="CheckpointProblems">Checkpoints that do not match the chain or whose signature fails.</param>
public sealed record AuditVerification(
    long Entries,
    long? FirstBrokenSequence,
    string? Reason,
    int Checkpoints,
    int SignaturesChecked,
    IReadOnlyList<string> CheckpointProblems)
{
    public bool Intact => FirstBrokenSequence is null && CheckpointProblems.Count == 0;
}

/// <summary>
/// The HMAC-SHA-256 key that signs audit checkpoints, held in a file outside the database (base64 text of at
/// least 32 random bytes). Whoever can write the database but not read this file cannot forge a checkpoint.
/// </summary>
public sealed class AuditCheckpointKey
{
    private readonly byte[] _key;

    private AuditCheckpointKey(byte[] key)
    {
        _key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    /// <summary>First 16 hex digits of SHA-256 of the key: names the key without revealing it.</summary>
    public string KeyId { get; }

    public static AuditCheckpointKey FromBytes(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length < 32 ? throw new ArgumentException("An audit checkpoint key must be at least 32 bytes.", nameof(key)) : new AuditCheckpointKey(key.ToArray());
    }

    /// <summary>Reads a key file; a missing or malformed file is an error naming it.</summary>
    public static AuditCheckpointKey Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The audit checkpoint key file {path} does not exist (create one with 'hearth audit keygen --key-file {path}').", path);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"The audit checkpoint key file {path} is not base64 text.");
        }

        return key.Length < 32 ? throw new InvalidDataException($"The audit checkpoint key in {path} is shorter than 32 bytes.") : new AuditCheckpointKey(key);
    }

    /// <summary>Writes a new random key to <paramref name="path"/> (owner read/write only); never overwrites a file.</summary>
    public static AuditCheckpointKey Create(string path)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path} already exists; Hearth never overwrites a checkpoint key.");
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, options))
        {
            writer.WriteLine(Convert.ToBase64String(key));
        }

        return new AuditCheckpointKey(key);
    }

    /// <summary>The text a checkpoint signs: sequence, head hash, time (ticks) and key id.</summary>
    public static string SignedText(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return string.Join('\n',
            "hearth-audit-checkpoint-v1",
            checkpoint.Sequence.ToString(CultureInfo.InvariantCulture),
            checkpoint.HeadHash,
            checkpoint.CreatedUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            checkpoint.KeyId);
    }

    public string Sign(AuditCheckpoint checkpoint) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(SignedText(checkpoint))));

    public bool Verify(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] given;
        try
        {
            given = Convert.FromHexString(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(SignedText(checkpoint))));
    }
}
