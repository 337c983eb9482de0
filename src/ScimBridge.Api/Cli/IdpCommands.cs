using System.CommandLine;
using Mediator;
using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Api.Cli;

/// <summary>
/// <c>scimbridge idp check [--connection X] [--repair]</c>: compares each configured connection's SCIM store with what
/// its IdP says, prints the disagreements and what the repair did or would do. Exit codes: 0 consistent (or every
/// disagreement repaired), 1 a check could not read its IdP, 2 bad usage or configuration, 3 no such connection,
/// 6 disagreements remain.
/// </summary>
internal static class IdpCommands
{
    public const int DriftRemains = 6;

    public static Command Create()
    {
        var connection = new Option<string?>("--connection") { Description = "Only this connection (default: every one under IdentityProviders:Connections)." };
        var repair = new Option<bool>("--repair") { Description = "Apply the repair now, for a connection whose Repair is report or apply (never for none)." };
        var check = new Command("check", "Compare the SCIM store with the IdP's assignments now, and optionally repair.") { connection, repair };
        check.TreatUnmatchedTokensAsErrors = false;
        check.SetAction(async (result, ct) =>
        {
            var (opened, exit) = await CliHost.OpenAsync(result, storage: true, ct);
            if (opened is null)
            {
                return exit;
            }

            await using var app = opened;

            if (app.Services.GetRequiredService<IIdpCheckRegistry>().Connections.Count == 0)
            {
                await Console.Error.WriteLineAsync("No IdP checks are configured (IdentityProviders:Connections:<connection>; see docs/idp-checks.md).");
                return 2;
            }

            IReadOnlyList<IdpCheckReport> reports;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                try
                {
                    reports = await scope.ServiceProvider.GetRequiredService<IMediator>()
                        .Send(new RunIdpCheck(result.GetValue(connection), "cli", result.GetValue(repair) ? true : null), ct);
                }
                catch (Core.NotFoundException e)
                {
                    await Console.Error.WriteLineAsync(e.Message);
                    return ScimBridgeCli.NotFound;
                }
            }

            Console.WriteLine($"{"CONNECTION",-20} {"STATUS",-10} {"FINDINGS",8} {"APPLIED",8} {"FAILED",7} {"HELD",5}  RUN");
            foreach (var r in reports)
            {
                var applied = r.Repairs.Count(o => o.Result == "applied");
                var failed = r.Repairs.Count(o => o.Result == "failed");
                Console.WriteLine($"{r.Connection,-20} {r.Status,-10} {r.Findings.Count,8} {applied,8} {failed,7} {r.Held.Count,5}  {r.Id}");
                if (r.Error is not null)
                {
                    Console.WriteLine($"  {r.Error}");
                }

                if (r.HeldReason is not null)
                {
                    Console.WriteLine($"  {r.HeldReason}");
                }

                foreach (var f in r.Findings.Take(50))
                {
                    Console.WriteLine($"  {f.Kind} {f.UserName} {f.GroupName}".TrimEnd());
                }
            }

            if (reports.Any(r => r.Status == IdpCheckReport.Failed))
            {
                return ScimBridgeCli.Failure;
            }

            // Drift counts as handled only where the repair was applied and every step of it succeeded and none was held.
            return reports.Any(r => r.Status == IdpCheckReport.Drift && (!r.RepairApplied || r.Held.Count > 0 || r.Repairs.Any(o => o.Result != "applied")
                || r.Findings.Count > r.Repairs.Count))
                ? DriftRemains
                : ScimBridgeCli.Ok;
        });

        return new Command("idp", "Check connections against their IdP (Entra ID, Okta).") { check };
    }
}
