using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimBridge.Core.Platforms;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Platforms.Tests.Contract;

/// <summary>
/// What the shared contract suite needs from one platform: its simulator running on loopback, a way to seed the listing
/// it pages, a membership to grant and revoke, and the capabilities it is expected to declare. Adapters are built the
/// way the service builds them: configuration → <see cref="PlatformsRegistration.AddPlatforms"/> → registry.
/// </summary>
public abstract class PlatformHarness : IAsyncDisposable
{
    public const string TargetName = "contract-target";

    private readonly List<ServiceProvider> _providers = [];

    public CapturedLogs Logs { get; } = new();

    public abstract string Platform { get; }

    public abstract SimulatorControl Control { get; }

    public abstract Uri BaseUrl { get; }

    public abstract string AdminKey { get; }

    public abstract PlatformCapabilities ExpectedCapabilities { get; }

    /// <summary>The page size the adapter is configured with, small so a few hundred items span many pages.</summary>
    public virtual int PageSize => 25;

    /// <summary>The path (from the server root) of the paged listing, to count the pages fetched.</summary>
    public abstract string PagedPath { get; }

    /// <summary>Adds <paramref name="count"/> items to the listing the adapter pages, straight into the simulator's state.</summary>
    public abstract void SeedPagedItems(int count);

    /// <summary>How many items the paged listing holds in the simulator now.</summary>
    public abstract int PagedItemCount { get; }

    /// <summary>Reads the paged listing through the adapter, streaming.</summary>
    public abstract IAsyncEnumerable<string> ReadPagedIdsAsync(IPlatformAdapter adapter, CancellationToken cancellationToken);

    /// <summary>A container and an organisation member who is not in it yet, with a role to grant and a second role.</summary>
    public virtual (string ContainerId, string AccountId, string Role, string OtherRole) MembershipFixture() =>
        throw new NotSupportedException($"{Platform} grants no membership.");

    /// <summary>The roles the simulator holds for <paramref name="accountId"/> in <paramref name="containerId"/>.</summary>
    public virtual IReadOnlyList<string> SimulatedRoles(string containerId, string accountId) =>
        throw new NotSupportedException($"{Platform} grants no membership.");

    /// <summary>Puts an account into a container straight in the simulator, for revokers that cannot grant (Cursor).</summary>
    public virtual void SeedMembership(string containerId, string accountId, string role) =>
        throw new NotSupportedException($"{Platform} grants no membership.");

    /// <summary>An account that exists and may be removed (for adapters that are <see cref="IAccountRemover"/>).</summary>
    public virtual string RemovableAccountId() => throw new NotSupportedException($"{Platform} removes no accounts.");

    public virtual bool SimulatedAccountExists(string accountId) => throw new NotSupportedException($"{Platform} removes no accounts.");

    /// <summary>Runs the platform's operations that handle secrets (minting a key, say) and returns those secrets.</summary>
    public virtual Task<IReadOnlyList<string>> ExerciseSecretsAsync(IPlatformAdapter adapter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Platform-specific configuration the target needs beyond Platform, BaseUrl and ApiKey.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraConfiguration() => [];

    public abstract Task StartAsync();

    /// <summary>An adapter for the simulator, through the real registration; <paramref name="apiKey"/> overrides the key.</summary>
    public IPlatformAdapter CreateAdapter(string? apiKey = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var prefix = $"{PlatformsRegistration.TargetsSection}:{TargetName}:";
        var values = new Dictionary<string, string?>
        {
            [prefix + "Platform"] = Platform,
            [prefix + "BaseUrl"] = BaseUrl.AbsoluteUri,
            [prefix + "ApiKey"] = apiKey ?? AdminKey,
            [prefix + "PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [prefix + "RetryBaseDelayMilliseconds"] = "10",
            [prefix + "MaxRetryAttempts"] = "3",
            [prefix + "MaxInlineRetryAfterSeconds"] = "2",
            [prefix + "AttemptTimeoutSeconds"] = "5",

            // The simulators' own token buckets play the platforms' limits here; Cursor's default budget (20 a minute)
            // would make the suite wait minutes. BudgetTests covers the budgets.
            [prefix + "RequestsPerMinute"] = "0",
        };
        foreach (var (key, value) in ExtraConfiguration().Concat(overrides ?? []))
        {
            values[prefix + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddPlatforms(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _providers.Add(provider);
        return provider.GetRequiredService<IPlatformRegistry>().Find(TargetName)
            ?? throw new InvalidOperationException($"No adapter registered for {Platform}.");
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
