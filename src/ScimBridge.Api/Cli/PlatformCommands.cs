using System.CommandLine;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Api.Cli;

/// <summary>
/// <c>scimbridge platforms list|check</c>: what targets are configured, what each can do, and whether its admin
/// credentials work. Lets a platform team check a new target before reconciliation ever touches it.
/// </summary>
internal static class PlatformCommands
{
    public static Command Create()
    {
        var list = new Command("list", "List the configured platform targets and the capabilities each declares.");
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction((result, ct) => WithRegistryAsync(result, registry =>
        {
            Console.WriteLine($"{"TARGET",-24} {"PLATFORM",-10} CAPABILITIES");
            foreach (var adapter in registry.Adapters)
            {
                Console.WriteLine($"{adapter.Target.Name,-24} {adapter.Target.Platform,-10} {adapter.Capabilities()}");
            }

            return Task.FromResult(ScimBridgeCli.Ok);
        }));

        var target = new Option<string?>("--target") { Description = "Check only this target (default: all)." };
        var check = new Command("check", "Call each target's API once with its admin credentials. Exit 0 when all are healthy, 1 otherwise.")
        {
            target,
        };
        check.TreatUnmatchedTokensAsErrors = false;
        check.SetAction((result, ct) => WithRegistryAsync(result, async registry =>
        {
            var name = result.GetValue(target);
            var adapters = name is null ? registry.Adapters : registry.Find(name) is { } one ? [one] : [];
            if (adapters.Count == 0)
            {
                await Console.Error.WriteLineAsync(name is null ? "No platform targets are configured (Platforms:Targets)." : $"No platform target named '{name}'.");
                return ScimBridgeCli.NotFound;
            }

            var healthy = true;
            foreach (var adapter in adapters)
            {
                var health = await adapter.ValidateAsync(ct);
                healthy &= health.Healthy;
                Console.WriteLine($"{adapter.Target.Name,-24} {(health.Healthy ? "ok" : "FAILED"),-7} {health.Detail}");
            }

            return healthy ? ScimBridgeCli.Ok : ScimBridgeCli.Failure;
        }));

        return new Command("platforms", "Inspect the configured AI platform targets.") { list, check };
    }

    private static async Task<int> WithRegistryAsync(ParseResult result, Func<IPlatformRegistry, Task<int>> action)
    {
        var (opened, exit) = await CliHost.OpenAsync(result, storage: false, CancellationToken.None);
        if (opened is null)
        {
            return exit;
        }

        await using var app = opened;
        return await action(app.Services.GetRequiredService<IPlatformRegistry>());
    }
}
