using ScimBridge.Simulators.Hosting;
using ScimBridge.Simulators;

// scimbridge-sim --platform openai|anthropic|cursor [--urls http://127.0.0.1:9101] [--seed state.json] [--admin-key KEY]
var options = args.Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1], StringComparer.OrdinalIgnoreCase);
var platformName = options.GetValueOrDefault("platform") ?? "";
ISimulatedPlatform? platform = SimulatedPlatforms.Create(platformName, TimeProvider.System);
if (platform is null)
{
    await Console.Error.WriteLineAsync($"--platform must be one of {string.Join(", ", SimulatedPlatforms.Names)}.");
    return 2;
}

if (options.GetValueOrDefault("seed") is { } seed)
{
    SimulatorHost.SeedFromFile(platform, seed);
}

var app = SimulatorHost.Build(
    platform,
    options.GetValueOrDefault("admin-key") ?? Environment.GetEnvironmentVariable("SIM_ADMIN_KEY") ?? "sim-admin-key",
    options.GetValueOrDefault("urls") ?? "http://127.0.0.1:0",
    TimeProvider.System,
    out _);
await app.RunAsync();
return 0;
