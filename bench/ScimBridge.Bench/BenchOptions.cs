using System.Globalization;

namespace ScimBridge.Bench;

internal sealed record BenchOptions
{
    public required string ScimBridge { get; init; }

    public string Results { get; init; } = Path.Combine("bench", "results", "latest.md");

    public string Wrk { get; init; } = "wrk";

    public int Users { get; init; } = 100_000;

    public int Groups { get; init; } = 1_000;

    public int BigGroup { get; init; } = 50_000;

    public int MemberAdds { get; init; } = 2_000;

    /// <summary>Members per PATCH while building the big group.</summary>
    public int BigGroupBatch { get; init; } = 1_000;

    public int Duration { get; init; } = 15;

    public int Warmup { get; init; } = 5;

    public int Connections { get; init; } = 32;

    public int Threads { get; init; } = 1;

    public int SeedWorkers { get; init; } = 32;

    /// <summary>
    /// An admin connection string of a PostgreSQL server (Npgsql format). When set, the run creates a fresh database
    /// scimbridge_bench_N on it, runs scimbridge with --Storage:ConnectionString pointing there, and drops it at the end.
    /// </summary>
    public string? Postgres { get; init; }

    /// <summary>scimbridge processes over the same PostgreSQL database (more than 1 needs --postgres).</summary>
    public int Replicas { get; init; } = 1;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var defaults = new BenchOptions { ScimBridge = "" };
        var parsed = new BenchOptions
        {
            ScimBridge = values.TryGetValue("scimbridge", out var path) ? path : throw new ArgumentException("--scimbridge PATH is required."),
            Results = values.GetValueOrDefault("results", defaults.Results),
            Wrk = values.GetValueOrDefault("wrk", defaults.Wrk),
            Users = Int("users", defaults.Users),
            Groups = Int("groups", defaults.Groups),
            BigGroup = Int("big-group", defaults.BigGroup),
            MemberAdds = Int("member-adds", defaults.MemberAdds),
            BigGroupBatch = Int("big-group-batch", defaults.BigGroupBatch),
            Duration = Int("duration", defaults.Duration),
            Warmup = Int("warmup", defaults.Warmup),
            Connections = Int("connections", defaults.Connections),
            Threads = Int("threads", defaults.Threads),
            SeedWorkers = Int("seed-workers", defaults.SeedWorkers),
            Postgres = values.GetValueOrDefault("postgres"),
            Replicas = Int("replicas", defaults.Replicas),
        };
        if (parsed.Replicas < 1 || (parsed.Replicas > 1 && string.IsNullOrWhiteSpace(parsed.Postgres)))
        {
            throw new ArgumentException("--replicas N needs N >= 1, and N > 1 needs --postgres (replicas share one PostgreSQL database).");
        }

        return parsed;
    }
}
