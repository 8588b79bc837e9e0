using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;

namespace Hearth.Bench;

/// <summary>
/// Load on the web app: builds (or reuses) a store holding a generated borough with families allocated to bench
/// key workers, serves the app in a child process on loopback, signs N users in through the real sign-in page and
/// has each request the family record page and the dashboard, with a think time, for the duration. Reports
/// requests, errors and p50/p95/p99 per page.
/// Usage: <c>web-load [--provider sqlite|postgres] [--users 50] [--seconds 60] [--households 5000] [--think-ms 1000]
/// [--families-per-worker 10] [--dir DIR] [--postgres CONNECTION]</c>. Without <c>--postgres</c> a throwaway
/// PostgreSQL server is started from the PostgreSQL binaries. The SQLite store in DIR is reused when it exists.
/// </summary>
internal static partial class WebLoadBench
{
    /// <summary>The bench users' password (a throwaway store on loopback; never a real installation).</summary>
    private const string Password = "bench load only passphrase 2026";

    private static CultureInfo Inv => CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "--serve")
        {
            return Serve(args[1], args[2], args[3]);
        }

        var provider = "sqlite";
        var users = 50;
        var seconds = 60;
        var households = 5000;
        var thinkMs = 1000;
        var perWorker = 10;
        string? dir = null;
        string? postgres = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--provider": provider = args[++i]; break;
                case "--users": users = int.Parse(args[++i], Inv); break;
                case "--seconds": seconds = int.Parse(args[++i], Inv); break;
                case "--households": households = int.Parse(args[++i], Inv); break;
                case "--think-ms": thinkMs = int.Parse(args[++i], Inv); break;
                case "--families-per-worker": perWorker = int.Parse(args[++i], Inv); break;
                case "--dir": dir = args[++i]; break;
                case "--postgres": postgres = args[++i]; provider = "postgres"; break;
                default:
                    Console.Error.WriteLine($"web-load: unknown option {args[i]}");
                    return 2;
            }
        }

        if (provider is not ("sqlite" or "postgres") || users < 2 || seconds < 1 || households < 100)
        {
            Console.Error.WriteLine("web-load: --provider sqlite|postgres, --users 2 or more, --seconds 1 or more, --households 100 or more");
            return 2;
        }

        dir ??= Path.Combine(Path.GetTempPath(), string.Create(Inv, $"hearth-web-load-{households}"));
        Directory.CreateDirectory(dir);
        using var server = provider == "postgres" && postgres is null ? IntakeBench.ThrowawayPostgres.Start(dir) : null;
        var database = provider == "sqlite"
            ? HearthDatabaseOptions.Sqlite(Path.Combine(dir, "hearth.db"))
            : HearthDatabaseOptions.Postgres(postgres ?? server!.CreateDatabase("hearth_web_load"));
        var connection = provider == "sqlite" ? Path.Combine(dir, "hearth.db") : database.Target;

        var setup = Stopwatch.StartNew();
        var accounts = BuildStoreAsync(database, dir, households, users, perWorker).GetAwaiter().GetResult();
        Console.WriteLine(string.Create(Inv, $"store ready in {setup.Elapsed.TotalSeconds:F1} s"));
        PrintStoreSize(database);
        return LoadAsync(provider, connection, accounts, seconds, thinkMs).GetAwaiter().GetResult();
    }

    /// <summary>A bench user: sign-in name, whether they manage a team, and the families their record requests choose from.</summary>
    private sealed record BenchUser(string UserName, bool Manager, IReadOnlyList<string> Families);

    private static async Task<IReadOnlyList<BenchUser>> BuildStoreAsync(HearthDatabaseOptions database, string dir, int households, int users, int perWorker)
    {
        await using var services = new ServiceCollection().AddHearthCore(database).BuildServiceProvider();
        await services.MigrateHearthDatabaseAsync();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            if (!await db.Families.AnyAsync())
            {
                var borough = Path.Combine(dir, "borough");
                if (!File.Exists(Path.Combine(borough, "truth", "programme_cohort.csv")))
                {
                    BenchRunner.Measure("generate borough", () => BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = 1 }, borough));
                }

                var sw = Stopwatch.StartNew();
                await BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), borough, "bench");
                Console.WriteLine(string.Create(Inv, $"import: {sw.Elapsed.TotalSeconds:F1} s"));
                sw.Restart();
                await scope.ServiceProvider.GetRequiredService<PersonLinkageService>()
                    .RunAsync(new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead }));
                Console.WriteLine(string.Create(Inv, $"link: {sw.Elapsed.TotalSeconds:F1} s"));
            }
        }

        // Teams of up to ten: one manager and nine key workers each.
        var managers = Math.Max(1, (users + 9) / 10);
        var workers = users - managers;
        var plan = new List<(string Name, HearthRole Role, string Team)>();
        for (var t = 0; t < managers; t++)
        {
            plan.Add((string.Create(Inv, $"bench-tm-{t + 1}"), HearthRole.TeamManager, string.Create(Inv, $"bench-team-{t + 1}")));
        }

        for (var w = 0; w < workers; w++)
        {
            plan.Add((string.Create(Inv, $"bench-kw-{w + 1}"), HearthRole.KeyWorker, string.Create(Inv, $"bench-team-{(w % managers) + 1}")));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var hasher = new PasswordHasher<HearthUser>(Options.Create(new PasswordHasherOptions { IterationCount = HearthIdentity.PasswordIterations }));
            var existing = (await db.Users.Select(u => u.UserName!).ToListAsync()).ToHashSet(StringComparer.Ordinal);
            string? hash = null;
            foreach (var (name, role, team) in plan.Where(p => !existing.Contains(p.Name)))
            {
                var user = new HearthUser
                {
                    UserName = name, NormalizedUserName = name.ToUpperInvariant(), DisplayName = name, CreatedUtc = DateTime.UtcNow,
                    LockoutEnabled = true, TeamId = team, SecurityStamp = Guid.NewGuid().ToString("N"),
                };
                user.SetRoles([role]);
                user.PasswordHash = hash ??= hasher.HashPassword(user, Password);
                db.Users.Add(user);
            }

            await db.SaveChangesAsync();
        }

        // Allocate families to each key worker until they hold perWorker.
        var allocate = Stopwatch.StartNew();
        var allocated = 0;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var ids = await db.Users.Where(u => u.UserName!.StartsWith("bench-")).ToDictionaryAsync(u => u.UserName!, u => u.Id);
            var withCase = db.Cases.Select(c => c.FamilyId);
            var free = new Queue<string>(await db.Families.Where(f => !withCase.Contains(f.Id)).OrderBy(f => f.Id).Select(f => f.Reference).ToListAsync());
            var service = scope.ServiceProvider.GetRequiredService<CaseWorkService>();
            foreach (var (name, _, team) in plan.Where(p => p.Role == HearthRole.KeyWorker))
            {
                var manager = plan.First(p => p.Role == HearthRole.TeamManager && p.Team == team).Name;
                var actor = new Actor(ids[manager], manager, new HashSet<HearthRole> { HearthRole.TeamManager }, team);
                var workerId = ids[name];
                var held = await db.Cases.CountAsync(c => c.KeyWorkerId == workerId);
                for (var i = held; i < perWorker && free.Count > 0; i++)
                {
                    var reference = free.Dequeue();
                    var opened = await service.IdentifyAsync(actor, reference);
                    await service.AllocateAsync(actor, reference, workerId, opened.Version);
                    allocated++;
                }
            }
        }

        if (allocated > 0)
        {
            Console.WriteLine(string.Create(Inv, $"allocated {allocated} families in {allocate.Elapsed.TotalSeconds:F1} s"));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var ids = await db.Users.Where(u => u.UserName!.StartsWith("bench-")).ToDictionaryAsync(u => u.Id, u => u.UserName!);
            var cases = await (from c in db.Cases
                               join f in db.Families on c.FamilyId equals f.Id
                               where c.KeyWorkerId != null
                               select new { c.KeyWorkerId, c.TeamId, f.Reference }).ToListAsync();
            return plan.Select(p => new BenchUser(p.Name, p.Role == HearthRole.TeamManager,
                p.Role == HearthRole.TeamManager
                    ? cases.Where(c => c.TeamId == p.Team).Select(c => c.Reference).ToList()
                    : cases.Where(c => ids.TryGetValue(c.KeyWorkerId!, out var n) && n == p.Name).Select(c => c.Reference).ToList())).ToList();
        }
    }

    private static void PrintStoreSize(HearthDatabaseOptions database)
    {
        using var db = new HearthDbFactory(database).Create();
        Console.WriteLine(string.Create(Inv,
            $"store ({database.Provider}): {db.SourceRecords.Count():N0} source records, {db.Persons.Count():N0} persons, {db.Households.Count():N0} households, {db.Families.Count():N0} families, {db.Cases.Count():N0} cases, {db.Users.Count():N0} users, {db.AuditEntries.Count():N0} audit entries"));
    }

    /// <summary>The child process: the web app on the store, second factor off and the sign-in rate limit raised for the bench's one address.</summary>
    private static int Serve(string provider, string connection, string urls)
    {
        var database = provider == "sqlite" ? HearthDatabaseOptions.Sqlite(connection) : HearthDatabaseOptions.Postgres(connection);
        var settings = new Dictionary<string, string?>
        {
            ["Hearth:Security:RequireSecondFactor"] = "false",
            ["Hearth:Security:SignInRequestsPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var app = HearthWebHost.BuildAsync(database, urls, settings, stop.Token).GetAwaiter().GetResult();
        app.StartAsync(stop.Token).GetAwaiter().GetResult();
        app.WaitForShutdownAsync(stop.Token).GetAwaiter().GetResult();
        return 0;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A cookie jar by hand: the app's cookies are Secure, which HttpClient's container will not send over http, even on loopback.</summary>
    private sealed class Session(HttpClient http, BenchUser user)
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public BenchUser User { get; } = user;

        public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
            }

            using var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var cookie in set)
                {
                    var pair = cookie.Split(';', 2)[0];
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    _cookies[pair[..eq]] = pair[(eq + 1)..];
                }
            }

            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async Task SignInAsync()
        {
            var (_, form) = await SendAsync(HttpMethod.Get, "/account/sign-in");
            var token = TokenPattern().Match(form).Groups[1].Value;
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = User.UserName, ["Password"] = Password, ["__RequestVerificationToken"] = token,
            });
            var (status, _) = await SendAsync(HttpMethod.Post, "/account/sign-in", content);
            var (home, _) = await SendAsync(HttpMethod.Get, "/dashboard");
            if (status != HttpStatusCode.Redirect || home != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{User.UserName} did not sign in (sign-in {(int)status}, dashboard {(int)home}).");
            }
        }
    }

    private static async Task<int> LoadAsync(string provider, string connection, IReadOnlyList<BenchUser> users, int seconds, int thinkMs)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var url = string.Create(Inv, $"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo { FileName = Environment.ProcessPath!, RedirectStandardOutput = true, RedirectStandardError = true };
        if (string.Equals(Path.GetFileNameWithoutExtension(Environment.ProcessPath), "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(WebLoadBench).Assembly.Location);
        }

        foreach (var a in new[] { "web-load", "--serve", provider, connection, url })
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var childErrors = new ConcurrentQueue<string>();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                childErrors.Enqueue(e.Data);
            }
        };
        child.OutputDataReceived += (_, _) => { };
        child.BeginErrorReadLine();
        child.BeginOutputReadLine();
        try
        {
            using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = users.Count + 4, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync("/health");
                    if (health.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                if (child.HasExited || ready.Elapsed > TimeSpan.FromMinutes(3))
                {
                    throw new InvalidOperationException("The app did not start: " + string.Join(Environment.NewLine, childErrors));
                }

                await Task.Delay(250);
            }

            Console.WriteLine(string.Create(Inv, $"app up at {url} in {ready.Elapsed.TotalSeconds:F1} s (child process {child.Id})"));
            var sessions = users.Where(u => u.Families.Count > 0).Select(u => new Session(http, u)).ToList();
            var signIn = Stopwatch.StartNew();
            foreach (var chunk in sessions.Chunk(4))
            {
                await Task.WhenAll(chunk.Select(s => s.SignInAsync()));
            }

            Console.WriteLine(string.Create(Inv, $"{sessions.Count} users signed in through /account/sign-in in {signIn.Elapsed.TotalSeconds:F1} s ({sessions.Count(s => s.User.Manager)} team managers, {sessions.Count(s => !s.User.Manager)} key workers)"));

            // Warm up: each user opens each page once (not measured).
            await Task.WhenAll(sessions.Select(async s =>
            {
                await s.SendAsync(HttpMethod.Get, "/families/" + s.User.Families[0]);
                await s.SendAsync(HttpMethod.Get, "/dashboard");
            }));

            var samples = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);
            var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var deadline = Stopwatch.StartNew();
            var cpuBefore = child.TotalProcessorTime;
            await Task.WhenAll(sessions.Select((s, index) => Task.Run(async () =>
            {
                var random = new Random(index + 1);
                await Task.Delay(random.Next(thinkMs + 1));
                var turn = index % 2;
                while (deadline.Elapsed.TotalSeconds < seconds)
                {
                    var record = turn++ % 2 == 0;
                    var page = record ? "family record" : "dashboard";
                    var path = record ? "/families/" + s.User.Families[random.Next(s.User.Families.Count)] : "/dashboard";
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        var (status, _) = await s.SendAsync(HttpMethod.Get, path);
                        if (status != HttpStatusCode.OK)
                        {
                            errors.AddOrUpdate(page + " " + ((int)status).ToString(Inv), 1, (_, n) => n + 1);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        errors.AddOrUpdate(page + " " + e.GetType().Name, 1, (_, n) => n + 1);
                    }

                    samples.GetOrAdd(page, _ => []).Add(sw.Elapsed.TotalMilliseconds);
                    if (thinkMs > 0)
                    {
                        await Task.Delay(random.Next(thinkMs / 2, thinkMs * 3 / 2 + 1));
                    }
                }
            })));
            var elapsed = deadline.Elapsed.TotalSeconds;
            child.Refresh();
            var cpu = (child.TotalProcessorTime - cpuBefore).TotalSeconds;

            Console.WriteLine(string.Create(Inv,
                $"web-load {provider}: {sessions.Count} users, {seconds} s, think time {thinkMs} ms (uniform {thinkMs / 2}–{thinkMs * 3 / 2} ms) between requests; app CPU {cpu:F1} s ({cpu / elapsed * 100:F0}% of one core)"));
            Console.WriteLine("| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var (page, bag) in samples.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var sorted = bag.Order().ToArray();
                var pageErrors = errors.Where(e => e.Key.StartsWith(page, StringComparison.Ordinal)).Sum(e => e.Value);
                Console.WriteLine(string.Create(Inv,
                    $"| {page} | {sorted.Length:N0} | {pageErrors} | {sorted.Length / elapsed:F1} | {Percentile(sorted, 50):F0} | {Percentile(sorted, 95):F0} | {Percentile(sorted, 99):F0} | {sorted[^1]:F0} |"));
            }

            foreach (var (kind, count) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(Inv, $"errors: {kind} × {count}"));
            }

            return errors.IsEmpty ? 0 : 1;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
