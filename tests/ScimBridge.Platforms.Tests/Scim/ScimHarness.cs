using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Tests.Contract;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>
/// The downstream SCIM adapter against a second ScimBridge behind <see cref="ScimProxyPlatform"/>. The paged listing is
/// /Users (startIndex/count); a removable account is a fresh SCIM user.
/// </summary>
public sealed class ScimHarness : PlatformHarness
{
    private ScimBridgeServer? _server;
    private RunningSimulator<ScimProxyPlatform>? _proxy;

    /// <summary>Extra command-line configuration of the downstream ScimBridge (set before <see cref="StartAsync"/>).</summary>
    public string[] ServerArgs { get; init; } = [];

    public ScimBridgeServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public ScimProxyPlatform Proxy => (_proxy ?? throw new InvalidOperationException("Not started.")).Platform;

    public override string Platform => "scim";

    public override SimulatorControl Control => (_proxy ?? throw new InvalidOperationException("Not started.")).Control;

    public override Uri BaseUrl => (_proxy ?? throw new InvalidOperationException("Not started.")).BaseUrl;

    public override string AdminKey => Server.Secret;

    public override PlatformCapabilities ExpectedCapabilities =>
        PlatformCapabilities.ListAccounts | PlatformCapabilities.ListGroups | PlatformCapabilities.InviteAccounts
        | PlatformCapabilities.RemoveAccounts | PlatformCapabilities.ManageGroups;

    public override string PagedPath => "/scim/v2/Users";

    public override int PagedItemCount => Run(() => Server.CountAsync("Users"));

    public override void SeedPagedItems(int count) => Run(async () =>
    {
        // A few at a time: the store serialises writes anyway.
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            await Task.WhenAll(chunk.Select(i => Server.CreateUserAsync($"paged-{i:D6}-{Guid.NewGuid():N}@example.com")));
        }

        return 0;
    });

    public override async IAsyncEnumerable<string> ReadPagedIdsAsync(IPlatformAdapter adapter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, cancellationToken))
        {
            yield return account.Id;
        }
    }

    public override string RemovableAccountId() => Run(() => Server.CreateUserAsync($"leaver-{Guid.NewGuid():N}@example.com"));

    public override bool SimulatedAccountExists(string accountId) => Run(async () => await Server.GetAsync("Users/" + accountId) is { } user && (bool?)user["active"] != false);

    public override async Task StartAsync()
    {
        _server = await ScimBridgeServer.StartAsync(ServerArgs);
        _proxy = await SimulatorHost.StartAsync(new ScimProxyPlatform(_server.Root), _server.Secret);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            _proxy.Platform.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    // The harness's seeding members are synchronous; run the async work off xunit's synchronisation context.
    private static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
