using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScimBridge.Api.Reports;
using ScimBridge.Core;
using ScimBridge.Core.Activity;
using ScimBridge.Core.Reports;

namespace ScimBridge.Api.Cli;

/// <summary>
/// <c>scimbridge report inventory|access-review|connectors|activity|drift</c> (table, JSON or CSV, the same documents as
/// /admin/reports) and <c>scimbridge keys revoke</c>. Exit codes: 0 ok, 1 a platform failed, 2 bad usage, 3 not found,
/// 4 conflict (no policy; a platform that cannot revoke that object).
/// </summary>
internal static class ReportCommands
{
    public static Command Report()
    {
        var command = new Command("report", "Operator reports: non-human identity inventory, access review, AI connector register, activity.")
        {
            Inventory(), AccessReview(), Connectors(), Activity(), Drift(),
        };
        return command;
    }

    public static Command Keys()
    {
        var target = new Option<string>("--target") { Description = "The platform target.", Required = true };
        var id = new Option<string>("--id") { Description = "The key's (or service account's) id, as the inventory lists it.", Required = true };
        var container = new Option<string?>("--container") { Description = "Its project or workspace id (the inventory's container)." };
        var kind = new Option<string>("--kind") { Description = "apiKey (default) or serviceAccount.", DefaultValueFactory = _ => InventoryTerms.ApiKey };
        var revoke = new Command("revoke", "Revoke a key or service account: deleted where the platform deletes, disabled where it can only disable. Audited.")
        {
            target, id, container, kind,
        };
        revoke.TreatUnmatchedTokensAsErrors = false;
        revoke.SetAction((result, ct) => WithHostAsync(result, async services =>
        {
            var request = new RevokeRequest(result.GetValue(target)!, result.GetValue(kind)!, result.GetValue(id)!, result.GetValue(container));
            var done = await services.GetRequiredService<RevokeCredential>().RevokeAsync(request, "cli:" + Environment.UserName, ct);
            Console.WriteLine($"{done.Target} {done.Id}: {done.Action}");
            return ScimBridgeCli.Ok;
        }));
        return new Command("keys", "Act on platform API keys and service accounts.") { revoke };
    }

    private static Command Inventory()
    {
        var (target, format) = (TargetOption(), FormatOption());
        var flag = new Option<string?>("--flag") { Description = "Only items with this flag: orphaned, stale, unrotated or shadow." };
        var command = new Command("inventory", "Every API key, service account and shadow user, with owner, age, last use and flags.") { target, flag, format };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithHostAsync(result, async services =>
        {
            var report = await services.GetRequiredService<InventoryReport>().BuildAsync(result.GetValue(target), result.GetValue(flag), ct);
            return Write(result.GetValue(format), report, ReportCsv.Inventory, () =>
            {
                Console.WriteLine($"{report.Counts.Total} items: {report.Counts.Orphaned} orphaned, {report.Counts.Stale} stale (>{report.Thresholds.StaleDays}d), "
                    + $"{report.Counts.Unrotated} unrotated (>{report.Thresholds.UnrotatedDays}d), {report.Counts.Shadow} shadow");
                Console.WriteLine($"{"TARGET",-14} {"KIND",-14} {"ID",-28} {"CONTAINER",-20} {"OWNER",-28} {"AGE",5} {"LAST USED",-10} FLAGS");
                foreach (var i in report.Items)
                {
                    Console.WriteLine($"{i.Target,-14} {i.Kind,-14} {i.Id,-28} {i.Container ?? "-",-20} {i.Owner?.Identity?.UserName ?? i.Owner?.Email ?? i.Owner?.PlatformId ?? "-",-28} "
                        + $"{i.AgeDays?.ToString(CultureInfo.InvariantCulture) ?? "-",5} {i.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",-10} {string.Join(',', i.Flags)}");
                }

                Errors(report.Errors);
            });
        }));
        return command;
    }

    private static Command AccessReview()
    {
        var (target, format) = (TargetOption(), FormatOption());
        var command = new Command("access-review", "Per platform object: who has which role, through which rule and group, and what the platform has.") { target, format };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithHostAsync(result, async services =>
        {
            var review = await services.GetRequiredService<Core.Reports.AccessReview>().BuildAsync(result.GetValue(target), ct);
            return Write(result.GetValue(format), review, ReportCsv.AccessReview, () =>
            {
                Console.WriteLine($"{"TARGET",-14} {"OBJECT",-24} {"IDENTITY",-28} {"ROLE",-16} {"ACTUAL",-8} RULES (GROUPS)");
                foreach (var r in review.Rows)
                {
                    Console.WriteLine($"{r.Target,-14} {r.Object,-24} {r.Identity ?? r.Email ?? "-",-28} {r.Role ?? "-",-16} {r.Actual,-8} {string.Join(',', r.Rules)} ({string.Join(',', r.Groups)})");
                }

                Errors(review.Errors);
            });
        }));
        return command;
    }

    private static Command Connectors()
    {
        var format = FormatOption();
        var command = new Command("connectors", "The AI connector register: each target's owner, reach, and what ScimBridge enforces, observes or cannot see.") { format };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithHostAsync(result, async services =>
        {
            var register = await services.GetRequiredService<ConnectorRegister>().BuildAsync(ct);
            return Write(result.GetValue(format), register, ReportCsv.Connectors, () =>
            {
                foreach (var t in register.Targets)
                {
                    Console.WriteLine($"{t.Target} ({t.Platform}, {t.Mode}) owner {t.Owner ?? "-"}  {t.BaseUrl}");
                    Console.WriteLine($"  reach: {string.Join(", ", t.Reach)}{(t.Error is null ? "" : "  (containers unreadable: " + t.Error + ")")}");
                    foreach (var row in t.Coverage)
                    {
                        Console.WriteLine($"  {row.ObjectType,-22} {row.Governance}");
                    }
                }
            });
        }));
        return command;
    }

    private static Command Activity()
    {
        var (target, format) = (TargetOption(), FormatOption());
        var flag = new Option<string?>("--flag") { Description = "Only events with this flag: deprovisioned or unknownKey." };
        var limit = new Option<int?>("--limit") { Description = $"Events per page (default {ActivityReport.DefaultLimit}, at most {ActivityReport.MaxLimit})." };
        var cursor = new Option<string?>("--cursor") { Description = "The next page, as the previous one's 'next' gave it." };
        var ingest = new Option<bool>("--ingest") { Description = "Ingest the platforms' new activity first (as the schedule does)." };
        var command = new Command("activity", "Platform activity tied to IdP identities, newest first.") { target, flag, limit, cursor, ingest, format };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithHostAsync(result, async services =>
        {
            if (result.GetValue(ingest))
            {
                foreach (var r in await services.GetRequiredService<ActivityIngestor>().IngestAsync(result.GetValue(target), ct))
                {
                    await Console.Error.WriteLineAsync($"ingested {r.Target}: {r.Read} read, {r.Stored} new{(r.Error is null ? "" : ", failed: " + r.Error)}");
                }
            }

            var page = await services.GetRequiredService<ActivityReport>().ListAsync(result.GetValue(target), result.GetValue(flag), result.GetValue(limit), result.GetValue(cursor), ct);
            return Write(result.GetValue(format), page, ReportCsv.Activity, () =>
            {
                Console.WriteLine($"{"TIME",-20} {"TARGET",-12} {"ACTION",-28} {"IDENTITY",-28} {"IP",-16} FLAGS");
                foreach (var a in page.Items)
                {
                    Console.WriteLine($"{a.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} {a.Target,-12} {a.Action,-28} "
                        + $"{a.Identity?.UserName ?? a.Actor.Email ?? a.Actor.ApiKeyId ?? "-",-28} {a.IpAddress ?? "-",-16} {string.Join(',', a.Flags)}");
                }

                if (page.Next is not null)
                {
                    Console.WriteLine($"more: --cursor {page.Next}");
                }
            });
        }));
        return command;
    }

    // The same document as GET /admin/reports/drift (DriftReports, DriftEndpoints.Csv): stored runs only, no platform read.
    private static Command Drift()
    {
        var (target, format) = (TargetOption(), FormatOption());
        var command = new Command("drift", "Drift per target as its newest full reconciliation pass saw it, with what is new or resolved since the pass before.")
        {
            target, format,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => WithHostAsync(result, async services =>
        {
            var report = await services.GetRequiredService<Core.Reconciliation.DriftReports>().BuildAsync(result.GetValue(target), ct);
            if (result.GetValue(target) is null)
            {
                await using var scope = services.CreateAsyncScope();
                report = report with { Idp = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Core.IdentityProviders.GetIdpDriftReport(null), ct) };
            }

            if (result.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Core.Reconciliation.Reconciler.ReportJson));
                return ScimBridgeCli.Ok;
            }

            return Write(result.GetValue(format), report, Reconciliation.DriftEndpoints.Csv, () =>
            {
                foreach (var t in report.Targets)
                {
                    var c = t.Counts;
                    Console.WriteLine($"{t.Target} run {t.RunId?.ToString() ?? "(none)"}: missing {c.MissingAccess}, extra {c.ExtraAccess}, role {c.RoleMismatch}, "
                        + $"pending {c.PendingInvites}, failed {c.FailedSteps}, dead-lettered {c.DeadLettered}; new {t.SincePrevious.New}, resolved {t.SincePrevious.Resolved}");
                    foreach (var line in t.Items)
                    {
                        Console.WriteLine($"  {(line.New ? "new " : "    ")}{line.Kind,-16} {line.Subject,-32} {line.Detail}");
                    }
                }

                foreach (var c in report.Idp?.Connections ?? [])
                {
                    Console.WriteLine($"IdP {c.Connection} check {c.RunId?.ToString() ?? "(none)"}: {c.Items.Count} disagreements{(c.LastFailure is { } failure ? $"; last check failed: {failure.Error}" : "")}");
                    foreach (var line in c.Items)
                    {
                        var f = line.Finding;
                        Console.WriteLine($"  {(line.New ? "new " : "    ")}{f.Kind,-24} {f.UserName ?? f.IdpUserId,-32} {f.GroupName ?? f.IdpGroupId}{(line.Repaired ? " (repaired)" : "")}");
                    }
                }
            });
        }));
        return command;
    }

    private static Option<string?> TargetOption() => new("--target") { Description = "Only this platform target (default: all)." };

    private static Option<string> FormatOption() => new("--format")
    {
        Description = "table (default), json or csv.",
        DefaultValueFactory = _ => "table",
    };

    private static int Write<T>(string? format, T report, Func<T, string> csv, Action table)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(report, ReportJson.Options));
                return ScimBridgeCli.Ok;
            case "csv":
                Console.Write(csv(report));
                return ScimBridgeCli.Ok;
            case "table":
                table();
                return ScimBridgeCli.Ok;
            default:
                Console.Error.WriteLine($"--format is table, json or csv; got '{format}'.");
                return 2;
        }
    }

    private static void Errors(IReadOnlyList<TargetReadError> errors)
    {
        foreach (var e in errors)
        {
            Console.Error.WriteLine($"target {e.Target} could not be read: {e.Message}");
        }
    }

    private static async Task<int> WithHostAsync(ParseResult result, Func<IServiceProvider, Task<int>> action)
    {
        var (opened, exit) = await CliHost.OpenAsync(result, storage: true, CancellationToken.None);
        if (opened is null)
        {
            return exit;
        }

        await using var app = opened;

        try
        {
            return await action(app.Services);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (NotFoundException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ScimBridgeCli.NotFound;
        }
        catch (ConflictException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ScimBridgeCli.Conflict;
        }
        catch (Core.Platforms.PlatformException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ScimBridgeCli.Failure;
        }
    }
}
