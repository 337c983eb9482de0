using ScimBridge.Core.Platforms;
using ScimBridge.Core.Reports;

namespace ScimBridge.Core.Tests.Reports;

public sealed class InventoryBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly InventoryThresholds Thresholds = new(45, 90);

    private static DateTimeOffset DaysAgo(int days) => Now.AddDays(-days);

    private static IdentityIndex Identities()
    {
        var index = new IdentityIndex();
        index.Add(new IdentityRef("entra", "ada@contoso.com", true), ["ada@contoso.com"]);
        index.Add(new IdentityRef("entra", "leaver@contoso.com", false), ["leaver@contoso.com"]);
        return index;
    }

    private static CredentialAdapter OpenAI()
    {
        var adapter = new CredentialAdapter(new PlatformTarget("openai", "openai"));
        adapter.Accounts.AddRange(
        [
            new PlatformAccount("user-ada", "ada@contoso.com", "Ada", "owner", AccountStatus.Active, DaysAgo(300)),
            new PlatformAccount("user-leaver", "leaver@contoso.com", "Leaver", "reader", AccountStatus.Active, DaysAgo(300)),
            new PlatformAccount("user-shadow", "contractor@gmail.com", "Contractor", "reader", AccountStatus.Active, DaysAgo(20)),
        ]);
        adapter.Credentials.AddRange(
        [
            Key("key-ok", "user-ada", email: null, created: DaysAgo(10), used: DaysAgo(1)),
            Key("key-leaver", "user-leaver", "leaver@contoso.com", DaysAgo(10), DaysAgo(1)),
            Key("key-gone", "user-departed", "departed@contoso.com", DaysAgo(10), DaysAgo(1)),
            Key("key-stale", "user-ada", "ada@contoso.com", DaysAgo(60), DaysAgo(50)),
            Key("key-old", "user-ada", "ada@contoso.com", DaysAgo(120), DaysAgo(1)),
            Key("key-shadow", "user-shadow", "contractor@gmail.com", DaysAgo(5), DaysAgo(1)),
            new PlatformCredential("key-nobody", CredentialKind.ApiKey, "no owner", "proj_1", null, CredentialStatus.Active, DaysAgo(5), DaysAgo(1)),
            new PlatformCredential("key-off", CredentialKind.ApiKey, "disabled", "proj_1", null, CredentialStatus.Inactive, DaysAgo(500), null),
            new PlatformCredential("key-sa", CredentialKind.ServiceAccountKey, "ci key", "proj_1", new CredentialOwner(PrincipalKind.ServiceAccount, "svc_ci", null, "ci"),
                CredentialStatus.Active, DaysAgo(100), DaysAgo(2)),
            new PlatformCredential("svc_ci", CredentialKind.ServiceAccount, "ci", "proj_1", null, CredentialStatus.Active, DaysAgo(100), null),
        ]);
        return adapter;
    }

    private static PlatformCredential Key(string id, string ownerId, string? email, DateTimeOffset created, DateTimeOffset used) =>
        new(id, CredentialKind.ApiKey, id, "proj_1", new CredentialOwner(PrincipalKind.User, ownerId, email, null), CredentialStatus.Active, created, used);

    private static async Task<InventoryReportResult> BuildAsync(string? flag = null, params IPlatformAdapter[] adapters) =>
        await InventoryBuilder.BuildAsync(adapters.Length > 0 ? adapters : [OpenAI()], Identities(), Thresholds, Now, flag, CancellationToken.None);

    [Fact]
    public async Task BuildAsync_SeededKeys_FlagsEachAsItsFactsSay()
    {
        var report = await BuildAsync();
        var flags = report.Items.ToDictionary(i => i.Id, i => string.Join(',', i.Flags));

        Assert.Equal("", flags["key-ok"]);
        Assert.Equal("orphaned", flags["key-leaver"]);
        Assert.Equal("orphaned", flags["key-gone"]);
        Assert.Equal("orphaned", flags["key-nobody"]);
        Assert.Equal("stale", flags["key-stale"]);
        Assert.Equal("unrotated", flags["key-old"]);
        Assert.Equal("shadow", flags["key-shadow"]);
        Assert.Equal("", flags["key-off"]);
        Assert.Equal("unrotated,shadow", flags["key-sa"]);
        Assert.Equal("shadow", flags["svc_ci"]);
        Assert.Equal("shadow", flags["user-shadow"]);
        Assert.Equal(new InventoryCounts(11, 3, 1, 2, 4), report.Counts);
    }

    [Fact]
    public async Task BuildAsync_OwnerNamedOnlyById_GetsEmailAndIdentityFromTheAccountList()
    {
        var item = (await BuildAsync()).Items.Single(i => i.Id == "key-ok");

        Assert.Equal(new InventoryOwner("user-ada", "ada@contoso.com", new IdentityRef("entra", "ada@contoso.com", true)), item.Owner);
        Assert.Equal("apiKey", item.Kind);
        Assert.Equal("proj_1", item.Container);
        Assert.Equal(10, item.AgeDays);
    }

    [Fact]
    public async Task BuildAsync_ServiceAccount_LastUseIsItsNewestKeys()
    {
        var account = (await BuildAsync()).Items.Single(i => i.Id == "svc_ci");

        Assert.Equal("serviceAccount", account.Kind);
        Assert.Equal(DaysAgo(2), account.LastUsed);
        Assert.Null(account.Owner);
    }

    [Fact]
    public async Task BuildAsync_WithFlag_ShowsOnlyThoseButCountsAll()
    {
        var report = await BuildAsync("orphaned");

        Assert.Equal(["key-gone", "key-leaver", "key-nobody"], report.Items.Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.Equal(11, report.Counts.Total);
    }

    [Fact]
    public async Task BuildAsync_OneTargetUnreadable_ReportsTheOthersAndNamesIt()
    {
        var broken = new CredentialAdapter(new PlatformTarget("anthropic", "anthropic")) { Fail = true };

        var report = await BuildAsync(null, OpenAI(), broken);

        Assert.Equal(11, report.Items.Count);
        Assert.Equal("anthropic", Assert.Single(report.Errors).Target);
    }

    [Fact]
    public async Task BuildAsync_PlatformWithoutLastUse_NeverCallsKeysStale()
    {
        var anthropic = new CredentialAdapter(new PlatformTarget("anthropic", "anthropic"));
        anthropic.Accounts.Add(new PlatformAccount("user_ada", "ada@contoso.com", "Ada", "admin", AccountStatus.Active, DaysAgo(300)));
        anthropic.Credentials.Add(new PlatformCredential(
            "apikey_1", CredentialKind.ApiKey, "old", null, new CredentialOwner(PrincipalKind.User, "user_ada", null, null), CredentialStatus.Active, DaysAgo(60), null));

        var item = Assert.Single((await BuildAsync(null, anthropic)).Items);

        Assert.Empty(item.Flags);
        Assert.Equal("ada@contoso.com", item.Owner!.Email);
    }

    private sealed class CredentialAdapter(PlatformTarget target) : IPlatformAdapter, ICredentialReader
    {
        public PlatformTarget Target { get; } = target;

        public List<PlatformAccount> Accounts { get; } = [];

        public List<PlatformCredential> Credentials { get; } = [];

        public bool Fail { get; init; }

        public Task<AdapterHealth> ValidateAsync(CancellationToken cancellationToken) => Task.FromResult(new AdapterHealth(true, "ok"));

        public Task<Page<PlatformAccount>> ListAccountsAsync(string? pageToken, CancellationToken cancellationToken) =>
            Fail ? throw new PlatformTransientException(PlatformErrorKind.Unavailable, "down") : PageOf(Accounts, pageToken);

        public Task<Page<PlatformCredential>> ListCredentialsAsync(string? pageToken, CancellationToken cancellationToken) => PageOf(Credentials, pageToken);

        // Pages of three, so the inventory is shown to follow page tokens.
        private static Task<Page<T>> PageOf<T>(List<T> items, string? token)
        {
            var start = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
            var next = start + 3 < items.Count ? (start + 3).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<T>(items.Skip(start).Take(3).ToList(), next));
        }
    }
}
