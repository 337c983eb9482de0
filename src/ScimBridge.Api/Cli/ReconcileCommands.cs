using System.CommandLine;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Reconciliation;
using ScimBridge.Core.Platforms;
using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Cli;

/// <summary>
/// <c>scimbridge reconcile</c> (on demand, dry run or apply) and <c>scimbridge policy check</c> (a policy file against
/// the configured targets, with line-precise errors). Exit codes: 0 done, 1 some step failed or a target could not be
/// read, 2 bad usage or an invalid policy, 5 a plan held by the removal circuit breaker (rerun with --confirm-removals).
/// </summary>
internal static class ReconcileCommands
{
    public const int Held = 5;

    public static Command Reconcile()
    {
        var target = new Option<string?>("--target") { Description = "Only this target (default: every target in the policy)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Compute and print the plan; change nothing." };
        var confirm = new Option<bool>("--confirm-removals") { Description = "Apply a plan the removal circuit breaker held." };
        var candidate = new Option<string?>("--policy-file") { Description = "Preview this candidate policy instead of the one in force (implies --dry-run)." };
        var progress = new Option<bool>("--progress") { Description = "Report progress on stderr even when it is not a terminal (on a terminal a progress bar is drawn anyway)." };
        var format = new Option<string>("--format") { Description = "table (default) or json (every target's full report).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command(
            "reconcile",
            "Reconcile the IdP's identities with the platforms now, as the policy says. Exit codes: 0 applied or observed, "
            + "1 a target failed or is partly applied, 2 bad usage or no valid policy, 3 no such target, 5 held by the removal circuit breaker.")
        {
            target, dryRun, confirm, candidate, progress, format,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, ct) =>
        {
            var (opened, exit) = await CliHost.OpenAsync(result, storage: true, ct);
            if (opened is null)
            {
                return exit;
            }

            await using var app = opened;

            var policy = app.Services.GetRequiredService<Core.Policy.IPolicyProvider>().Current;
            if (policy.Policy is null && result.GetValue(candidate) is null)
            {
                await Console.Error.WriteLineAsync("No valid mapping policy: " + string.Join(Environment.NewLine, policy.Errors));
                return 2;
            }

            Core.Policy.MappingPolicy? candidatePolicy = null;
            if (result.GetValue(candidate) is { } candidatePath)
            {
                var checkedPolicy = PolicyFileProvider.Check(await File.ReadAllTextAsync(candidatePath, ct), app.Services.GetRequiredService<IPlatformRegistry>());
                foreach (var error in checkedPolicy.Errors)
                {
                    await Console.Error.WriteLineAsync($"{candidatePath}:{error.Line}:{error.Column}: {error.Message}");
                }

                if (!checkedPolicy.Succeeded)
                {
                    return 2;
                }

                candidatePolicy = checkedPolicy.Policy;
            }

            var interactive = !Console.IsErrorRedirected;
            var bar = interactive || result.GetValue(progress) ? new ProgressBar(Console.Error, interactive, TimeProvider.System) : null;
            var request = new ReconcileRequest(result.GetValue(target), ReconcileScope.Full, result.GetValue(dryRun) || candidatePolicy is not null, candidatePolicy is null ? ReconcileTriggers.Cli : ReconcileTriggers.CliPreview)
            {
                ConfirmRemovals = result.GetValue(confirm),
                CandidatePolicy = candidatePolicy,
                Progress = bar,
            };
            IReadOnlyList<TargetRunReport> reports;
            try
            {
                reports = await app.Services.GetRequiredService<Reconciler>().ReconcileAsync(request, ct);
            }
            catch (Core.NotFoundException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ScimBridgeCli.NotFound;
            }
            finally
            {
                bar?.Finish();
            }

            if (result.GetValue(format) == "json")
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(reports, Reconciler.ReportJson));
            }
            else
            {
                PrintTable(reports);
            }

            return reports.Any(r => r.Status == RunStatus.Held) ? Held
                : reports.Any(r => r.Status is RunStatus.Failed or RunStatus.Partial) ? ScimBridgeCli.Failure
                : ScimBridgeCli.Ok;
        });
        return command;
    }

    private static void PrintTable(IReadOnlyList<TargetRunReport> reports)
    {
        Console.WriteLine($"{"TARGET",-20} {"STATUS",-9} {"DRIFT",6} {"PLANNED",8} {"APPLIED",8} {"FAILED",7}  RUN");
        foreach (var r in reports)
        {
            var applied = r.Outcomes.Count(o => o.Result == StepResult.Applied);
            var failed = r.Outcomes.Count(o => o.Result is StepResult.Failed or StepResult.Transient or StepResult.Unsupported);
            Console.WriteLine($"{r.Target,-20} {r.Status.ToString().ToLowerInvariant(),-9} {r.Drift.Count,6} {r.Planned.Count,8} {applied,8} {failed,7}  {r.RunId}");
            if (r.Message is not null)
            {
                Console.WriteLine($"  {r.Message}");
            }

            foreach (var step in r.Planned.Take(20))
            {
                Console.WriteLine($"  {step.Kind} {step.Email ?? step.ContainerName} {step.ContainerName ?? ""} {step.Role ?? ""}".TrimEnd());
            }
        }
    }

    public static Command Policy()
    {
        var file = new Option<string?>("--file") { Description = "The policy file to check (default: Reconciliation:PolicyPath)." };
        var check = new Command("check", "Check a mapping policy against the configured targets; print each problem with its line.") { file };
        check.TreatUnmatchedTokensAsErrors = false;
        check.SetAction(async (result, ct) =>
        {
            var (opened, exit) = await CliHost.OpenAsync(result, storage: false, ct);
            if (opened is null)
            {
                return exit;
            }

            await using var app = opened;

            var path = result.GetValue(file) ?? app.Services.GetRequiredService<IOptions<ReconciliationOptions>>().Value.PolicyPath;
            if (path is null || !File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"No policy file {(path is null ? "given (--file or Reconciliation:PolicyPath)" : "at " + path)}.");
                return 2;
            }

            var checkedPolicy = PolicyFileProvider.Check(await File.ReadAllTextAsync(path, ct), app.Services.GetRequiredService<IPlatformRegistry>());
            foreach (var error in checkedPolicy.Errors)
            {
                await Console.Error.WriteLineAsync($"{path}:{error.Line}:{error.Column}: {error.Message}");
            }

            if (!checkedPolicy.Succeeded)
            {
                return 2;
            }

            Console.WriteLine($"{path}: ok ({checkedPolicy.Policy!.Targets.Count} targets, {checkedPolicy.Policy.Rules.Count} rules)");
            return ScimBridgeCli.Ok;
        });
        return new Command("policy", "Work with the mapping policy.") { check };
    }
}
