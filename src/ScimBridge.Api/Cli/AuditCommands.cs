using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Api.Audit;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Audit;

namespace ScimBridge.Api.Cli;

/// <summary>
/// <c>scimbridge audit query|export|verify</c>, offline against the database like the other commands. Exit codes: 0 ok
/// (verify: the chain is intact), 2 bad usage, 6 the chain is broken (the first broken sequence number is printed).
/// </summary>
internal static class AuditCommands
{
    public const int Broken = 6;

    public static Command Create()
    {
        return new Command("audit", "Query, export and verify the tamper-evident audit trail.") { Query(), Export(), Verify() };
    }

    private sealed record Filters(
        Option<string?> From, Option<string?> To, Option<string?> Kind, Option<string?> Connection, Option<string?> Target,
        Option<string?> Actor, Option<string?> Outcome, Option<string?> Resource)
    {
        public static Filters Add(Command command)
        {
            var filters = new Filters(
                new("--from") { Description = "Events at or after this time (ISO 8601)." },
                new("--to") { Description = "Events before this time (ISO 8601)." },
                new("--kind") { Description = $"One of {string.Join(", ", AuditKinds.All)}." },
                new("--connection") { Description = "The IdP connection's name." },
                new("--target") { Description = "The platform target's name." },
                new("--actor") { Description = "The operator (or trigger) who acted." },
                new("--outcome") { Description = "success, denied, failure, error, or a run status." },
                new("--resource") { Description = "A resource id, a resource type, or Type/id." });
            foreach (var option in new[] { filters.From, filters.To, filters.Kind, filters.Connection, filters.Target, filters.Actor, filters.Outcome, filters.Resource })
            {
                command.Options.Add(option);
            }

            return filters;
        }

        public (AuditQuery Query, List<string> Problems) Parse(ParseResult result, string? limit) => AuditFormats.Parse(
            result.GetValue(From), result.GetValue(To), result.GetValue(Kind), result.GetValue(Connection), result.GetValue(Target),
            result.GetValue(Actor), result.GetValue(Outcome), result.GetValue(Resource), null, limit);
    }

    private static Command Query()
    {
        var limit = new Option<int>("--limit") { Description = "Most events to print (newest first).", DefaultValueFactory = _ => 50 };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        var command = new Command("query", "Print the newest events matching the filters.") { limit, format };
        var filters = Filters.Add(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithStoreAsync(result, async store =>
        {
            var (query, problems) = filters.Parse(result, result.GetValue(limit).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (result.GetValue(format) is not ("table" or "json" or "csv"))
            {
                problems.Add("--format must be table, json or csv.");
            }

            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems));
                return 2;
            }

            var page = await store.QueryAsync(query, ct);
            switch (result.GetValue(format))
            {
                case "json":
                    Console.WriteLine(new JsonArray([.. page.Events.Select(AuditFormats.ToJson)]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                    break;
                case "csv":
                    Console.WriteLine(AuditFormats.CsvHeader);
                    foreach (var record in page.Events)
                    {
                        Console.WriteLine(AuditFormats.CsvLine(record));
                    }

                    break;
                default:
                    Console.WriteLine($"{"SEQ",8} {"OCCURRED",-28} {"KIND",-16} {"WHO",-20} {"ACTION",-10} {"RESOURCE",-40} OUTCOME");
                    foreach (var record in page.Events)
                    {
                        var e = record.Event;
                        var who = e.Actor ?? e.Connection ?? e.Target ?? "";
                        var resource = string.Join('/', new[] { e.ResourceType, e.ResourceId }.Where(x => x is not null));
                        Console.WriteLine($"{record.Sequence,8} {AuditChain.FormatTime(e.Occurred),-28} {e.Kind,-16} {who,-20} {e.Action,-10} {resource,-40} {e.Outcome}");
                    }

                    break;
            }

            return ScimBridgeCli.Ok;
        }, ct));
        return command;
    }

    private static Command Export()
    {
        var format = new Option<string>("--format") { Description = "jsonl or csv.", DefaultValueFactory = _ => "jsonl" };
        var output = new Option<string?>("--output") { Description = "Write to this file (default: standard output)." };
        var command = new Command("export", "Export every event matching the filters, oldest first, as JSON Lines or CSV.") { format, output };
        var filters = Filters.Add(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithStoreAsync(result, async store =>
        {
            var (query, problems) = filters.Parse(result, null);
            var chosen = result.GetValue(format)!;
            if (chosen is not ("jsonl" or "csv"))
            {
                problems.Add("--format must be jsonl or csv.");
            }

            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems));
                return 2;
            }

            if (result.GetValue(output) is { } path)
            {
                await using var file = new StreamWriter(path, append: false, AuditFormats.Utf8);
                await AuditFormats.WriteExportAsync(file, chosen, store.ReadAsync(query, 0, ct), ct);
            }
            else
            {
                await using var stdout = new StreamWriter(Console.OpenStandardOutput(), AuditFormats.Utf8);
                await AuditFormats.WriteExportAsync(stdout, chosen, store.ReadAsync(query, 0, ct), ct);
            }

            return ScimBridgeCli.Ok;
        }, ct));
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Walk the hash chain; exit 0 when intact, 6 with the first broken link when not.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithStoreAsync(result, async store =>
        {
            var anchor = await store.GetAnchorAsync(ct);
            var verification = await AuditVerifier.VerifyAsync(anchor, store.ReadAsync(new AuditQuery(), anchor.BaseSequence, ct), ct);
            if (verification.Intact)
            {
                Console.WriteLine($"intact: {verification.Checked} events checked (from {anchor.BaseSequence + 1} to {verification.HeadSequence}); head hash {verification.HeadHash}");
                return ScimBridgeCli.Ok;
            }

            Console.WriteLine($"broken at {verification.FirstBrokenSequence}: {verification.Break?.ToString().ToLowerInvariant()}: {verification.Detail}");
            return Broken;
        }, ct));
        return command;
    }

    private static async Task<int> WithStoreAsync(ParseResult result, Func<IAuditStore, Task<int>> action, CancellationToken cancellationToken)
    {
        // No reconciliation worker: an offline audit command must not start propagating work as a side effect.
        await using var app = ScimBridgeHost.Build([.. result.UnmatchedTokens, "--Reconciliation:Worker=false"]);
        foreach (var initializer in app.Services.GetServices<IHostedService>().OfType<StorageInitializer>())
        {
            await initializer.StartAsync(cancellationToken);
        }

        return await action(app.Services.GetRequiredService<IAuditStore>());
    }
}
