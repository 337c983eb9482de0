using System.Globalization;
using System.Text;

namespace ScimBridge.Bench;

internal sealed record Latency(double P50, double P99, double Mean, double Max, int Count)
{
    public static Latency From(double[] samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Latency(At(0.50), At(0.99), sorted.Average(), sorted[^1], sorted.Length);
    }
}

internal sealed class Report(BenchOptions options)
{
    private const double RatioTarget = 0.30;
    private const double PostTarget = 3000;
    private const double MemberAddP99Target = 10;
    private const double RssTarget = 300;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public double SeedUsersSeconds { get; set; }

    public double SeedGroupsSeconds { get; set; }

    public string Storage { get; set; } = "SQLite";

    /// <summary>VmRSS per replica (one entry per scimbridge process).</summary>
    public double[] RssBeforePostMb { get; set; } = [];

    public WrkResult Discovery { get; set; } = null!;

    public int BigGroupSize { get; set; }

    public int BigGroupSizeAfter { get; set; }

    public double BigGroupBuildSeconds { get; set; }

    public int UsersAtEnd { get; set; }

    public WrkResult Ping { get; set; } = null!;

    public WrkResult GetById { get; set; } = null!;

    public WrkResult Filter { get; set; } = null!;

    public WrkResult Post { get; set; } = null!;

    public Latency MemberAdd { get; set; } = null!;

    public double[] RssMb { get; set; } = [];

    public double[] HwmMb { get; set; } = [];

    public List<string> Log { get; } = [];

    public bool AllTargetsMet => Rows().All(r => r.Met);

    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Measurement | Result | Ratio to /ping | Target | Met |");
        sb.AppendLine("|---|---|---|---|---|");
        sb.AppendLine(Inv, $"| GET /ping, minimal Kestrel (baseline) | {Ping.RequestsPerSecond:N0} req/s (p50 {Ping.P50Ms:F2} ms, p99 {Ping.P99Ms:F2} ms) | 1.00 | | |");
        foreach (var row in Rows())
        {
            sb.AppendLine(Inv, $"| {row.Name} | {row.Result} | {row.Ratio} | {row.Target} | {(row.Met ? "yes" : "**NO**")} |");
        }

        sb.AppendLine(Inv, $"| (diagnostic) GET /ServiceProviderConfig: auth + pipeline, no DB | {Rps(Discovery)} | {Discovery.RequestsPerSecond / Ping.RequestsPerSecond:F2} | | |");
        return sb.ToString();
    }

    public string ToMarkdown(string machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# ScimBridge benchmark: latest run");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/run.sh`. Machine: {machine}.");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Storage: {Storage}; {options.Replicas} scimbridge process(es).{(options.Replicas > 1 ? $" Each throughput figure is the sum of {options.Replicas} wrk processes run at once, one per replica (the baseline: {options.Replicas} against the one /ping process), each with the settings below; p50/p99 are the worst of them." : "")}");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Store: {options.Users:N0} users, {options.Groups:N0} groups of ~5 members, one group of {BigGroupSize:N0} members (built with PATCH add, {options.BigGroupBatch:N0} per op, in {BigGroupBuildSeconds:F1} s); {UsersAtEnd:N0} users at the end (the POST measurement adds users).");
        sb.AppendLine(Inv, $"wrk: `-t{options.Threads} -c{options.Connections} -d{options.Duration}s --latency` after a {options.Warmup} s warm-up of the same script, for every endpoint; each request built in Lua.");
        sb.AppendLine();
        sb.Append(Table());
        sb.AppendLine();
        sb.AppendLine(Inv, $"Member add: {MemberAdd.Count:N0} sequential PATCH add ops of one new user each to the big group{(options.Replicas > 1 ? $", alternating the {options.Replicas} replicas" : "")}, Stopwatch client-side over HttpClient keep-alive: p50 {MemberAdd.P50:F2} ms, p99 {MemberAdd.P99:F2} ms, mean {MemberAdd.Mean:F2} ms, max {MemberAdd.Max:F2} ms; the group ends with {BigGroupSizeAfter:N0} members.");
        sb.AppendLine(Inv, $"Seeding: {options.Users:N0} POST /Users by {options.SeedWorkers} concurrent HttpClient workers in {SeedUsersSeconds:F1} s = {options.Users / SeedUsersSeconds:N0}/s (client in the same 2 cores; secondary figure); {options.Groups:N0} POST /Groups with 5 members each in {SeedGroupsSeconds:F1} s = {options.Groups / SeedGroupsSeconds:N0}/s.");
        sb.AppendLine(Inv, $"Memory: scimbridge VmRSS {Mb(RssMb)} MB after the run (VmHWM peak {Mb(HwmMb)} MB), {Mb(RssBeforePostMb)} MB before the POST measurement (store still at {options.Users:N0} users), from /proc/PID/status{(RssMb.Length > 1 ? ", per replica" : "")}.");
        sb.AppendLine();
        sb.AppendLine("## Log");
        sb.AppendLine();
        sb.AppendLine("```");
        foreach (var line in Log)
        {
            sb.AppendLine(line);
        }

        sb.AppendLine("```");
        return sb.ToString();
    }

    private IEnumerable<(string Name, string Result, string Ratio, string Target, bool Met)> Rows()
    {
        var byId = GetById.RequestsPerSecond / Ping.RequestsPerSecond;
        var filter = Filter.RequestsPerSecond / Ping.RequestsPerSecond;
        yield return ("GET /Users/{id} (random of the seeded ids)", Rps(GetById), byId.ToString("F2", Inv), "≥ 0.30 of /ping", byId >= RatioTarget);
        yield return ("GET /Users?filter=userName eq \"…\" (random seeded names)", Rps(Filter), filter.ToString("F2", Inv), "≥ 0.30 of /ping", filter >= RatioTarget);
        yield return ("POST /Users (wrk, unique userNames)", Rps(Post), (Post.RequestsPerSecond / Ping.RequestsPerSecond).ToString("F2", Inv), "≥ 3,000/s", Post.RequestsPerSecond >= PostTarget);
        yield return ($"PATCH add 1 member to the {BigGroupSize:N0}-member group ({MemberAdd.Count:N0} sequential)",
            string.Create(Inv, $"p50 {MemberAdd.P50:F2} ms, p99 {MemberAdd.P99:F2} ms"), "", "p99 < 10 ms", MemberAdd.P99 < MemberAddP99Target);
        yield return ($"scimbridge VmRSS after the run ({UsersAtEnd:N0} users by then){(RssMb.Length > 1 ? ", per replica" : "")}",
            string.Create(Inv, $"{Mb(RssMb)} MB (peak {Mb(HwmMb)} MB; {Mb(RssBeforePostMb)} MB before the POST phase)"), "", "< 300 MB", RssMb.All(x => x < RssTarget));
    }

    private static string Mb(double[] values) => string.Join(" / ", values.Select(v => v.ToString("F0", Inv)));

    private static string Rps(WrkResult r) => string.Create(Inv, $"{r.RequestsPerSecond:N0} req/s (p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms)");
}
