using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Hearth.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the integration tests. <c>HEARTH_TEST_POSTGRES</c> (a connection string to a
/// server the tests may create databases on) wins if set; otherwise the fixture runs <c>initdb</c> into a
/// temporary directory and starts <c>postgres</c> on a free loopback port from the binaries in
/// <c>HEARTH_PG_BIN</c> (or the newest <c>/usr/lib/postgresql/*/bin</c>). If neither works it throws: the tests
/// never fall back to another provider and never skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDir;
    private string? _binDir;
    private string? _runAs;
    private int _databaseCounter;

    /// <summary>Connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("HEARTH_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = external;
            return;
        }

        _binDir = FindBinaries();
        _runAs = Environment.GetEnvironmentVariable("HEARTH_PG_USER");
        if (_runAs is null && Environment.UserName == "root")
        {
            _runAs = "postgres";
        }

        _dataDir = Path.Combine(Path.GetTempPath(), "hearth-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_dataDir);
        if (_runAs is not null)
        {
            await RunAsync("chown", ["-R", _runAs, _dataDir], asServerUser: false);
        }

        var pgData = Path.Combine(_dataDir, "data");
        await RunAsync(Path.Combine(_binDir, "initdb"),
            ["-D", pgData, "-U", "hearth", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asServerUser: true);
        var port = FreePort();
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", pgData, "-o", options, "-l", Path.Combine(_dataDir, "server.log"), "-w", "-t", "60", "start"], asServerUser: true);
        AdminConnectionString = string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={port};Username=hearth;Database=postgres;Pooling=false");
    }

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture,
            $"hearth_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}");
        name = name[..Math.Min(name.Length, 48)];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDir is null || _binDir is null)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_binDir, "pg_ctl"),
                ["-D", Path.Combine(_dataDir, "data"), "-m", "immediate", "-w", "stop"], asServerUser: true);
        }
        finally
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("HEARTH_PG_BIN");
        var candidates = configured is not null
            ? [configured]
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => Path.Combine(d, "bin"))
                    .OrderByDescending(d => d, StringComparer.Ordinal)
                    .ToArray()
                : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the 'postgresql' package, set " +
                "HEARTH_PG_BIN to their directory, or set HEARTH_TEST_POSTGRES to a server's connection string. " +
                "The integration tests never run without PostgreSQL.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asServerUser)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServerUser && _runAs is not null)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", _runAs, "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
