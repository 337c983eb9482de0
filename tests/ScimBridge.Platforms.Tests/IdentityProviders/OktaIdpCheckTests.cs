using ScimBridge.Simulators.IdentityProviders.Okta;

namespace ScimBridge.Platforms.Tests.IdentityProviders;

/// <summary>
/// IdP checks of an Okta connection against the Okta fake through the typed HttpClient: each kind of disagreement,
/// repair, Link-header paging, and 429 with X-Rate-Limit-Reset.
/// </summary>
public sealed class OktaIdpCheckTests
{
    private const string App = "0oa1scimbridgeapp001";

    // Engineering (ana, ben, cy) is assigned to the app; dan directly; cy is SUSPENDED in Okta.
    private static OktaSimState Org() => new(
        App,
        [
            new OktaSimUser("00u1ana", "ana@example.com", "ACTIVE", "Ana", "A"),
            new OktaSimUser("00u1ben", "ben@example.com", "ACTIVE", "Ben", "B"),
            new OktaSimUser("00u1cy", "cy@example.com", "SUSPENDED", "Cy", "C"),
            new OktaSimUser("00u1dan", "dan@example.com", "ACTIVE", "Dan", "D"),
        ],
        [new OktaSimGroup("00g1eng", "Engineering", ["00u1ana", "00u1ben", "00u1cy"])],
        ["00u1dan"],
        ["00g1eng"]);

    // Okta pushed ana and cy (externalId is the Okta user id), and eve, who is no longer assigned; Engineering (pushed
    // by name only) has ana and eve.
    private static async Task SeedScimAsync(IdpCheckHarness h)
    {
        var ana = await h.CreateUserAsync("ana@example.com", "00u1ana");
        await h.CreateUserAsync("cy@example.com", "00u1cy");
        var eve = await h.CreateUserAsync("eve@example.com", "00u1eve");
        await h.CreateGroupAsync("Engineering", null, ana, eve);
    }

    [Fact]
    public async Task Check_EachDisagreementKind_IsReported()
    {
        await using var h = await IdpCheckHarness.StartOktaAsync(Org(), "report");
        await SeedScimAsync(h);

        var report = await h.CheckAsync();

        Assert.Equal("drift", (string)report["status"]!);
        Assert.Equal(["ben@example.com", "dan@example.com"], IdpCheckHarness.Findings(report, "UserNotReceived"));
        Assert.Equal(["eve@example.com"], IdpCheckHarness.Findings(report, "UserNoLongerAssigned"));
        Assert.Equal(["cy@example.com"], IdpCheckHarness.Findings(report, "DisabledInIdpActiveHere"));
        Assert.Equal(["ben@example.com@Engineering", "cy@example.com@Engineering"], IdpCheckHarness.Findings(report, "MembershipNotReceived"));
        Assert.Equal(["eve@example.com@Engineering"], IdpCheckHarness.Findings(report, "MembershipNoLongerAssigned"));
        Assert.Equal(3, (await h.UsersAsync()).Count);
    }

    [Fact]
    public async Task Check_RepairApply_MakesTheStoreSayWhatOktaSays()
    {
        await using var h = await IdpCheckHarness.StartOktaAsync(Org(), "apply");
        await SeedScimAsync(h);

        var report = await h.CheckAsync();

        Assert.All(report["repairs"]!.AsArray(), r => Assert.Equal("applied", (string)r!["result"]!));
        var users = await h.UsersAsync();
        Assert.True(users["ben@example.com"]);
        Assert.True(users["dan@example.com"]);
        Assert.False(users["cy@example.com"]);
        Assert.False(users["eve@example.com"]);
        Assert.Equal(["ana@example.com", "ben@example.com", "cy@example.com"], await h.MembersAsync("Engineering"));
        Assert.Equal("consistent", (string)(await h.CheckAsync())["status"]!);
    }

    [Fact]
    public async Task Check_AssignedGroupNeverPushed_IsCreatedWithItsMembers()
    {
        await using var h = await IdpCheckHarness.StartOktaAsync(Org(), "apply");
        await h.CreateUserAsync("ana@example.com", "00u1ana");

        var report = await h.CheckAsync();

        Assert.Equal(["@Engineering"], IdpCheckHarness.Findings(report, "GroupNotReceived"));

        // cy is suspended and never arrived: a repair does not create a disabled user, so it is no member either.
        Assert.Equal(["ana@example.com", "ben@example.com"], await h.MembersAsync("Engineering"));
        Assert.False((await h.UsersAsync()).ContainsKey("cy@example.com"));
    }

    [Fact]
    public async Task Check_ListsOverSeveralPages_FollowTheLinkHeaders()
    {
        var users = Enumerable.Range(1, 5).Select(i => new OktaSimUser($"00u2u{i}", $"u{i}@example.com", "ACTIVE")).ToList();
        var org = new OktaSimState(App, users, [new OktaSimGroup("00g2all", "All", [.. users.Select(u => u.Id)])], [], ["00g2all"]);
        await using var h = await IdpCheckHarness.StartOktaAsync(org, "report");
        h.Okta!.Platform.PageSizeCap = 2;

        var report = await h.CheckAsync();

        Assert.Equal(5, (int)report["idpUsers"]!);
        Assert.Equal(5, IdpCheckHarness.Findings(report, "MembershipNotReceived").Count);
        Assert.Equal(3, h.Control.Count("GET", $"/api/v1/apps/{App}/users"));
        Assert.Equal(3, h.Control.Count("GET", "/api/v1/groups/00g2all/users"));
        Assert.Contains(h.Control.Requests, r => r.PathAndQuery.Contains("after=00u2u2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_Okta429_WaitsForTheRateLimitResetAndSucceeds()
    {
        await using var h = await IdpCheckHarness.StartOktaAsync(Org(), "report");
        await SeedScimAsync(h);
        h.Control.ThrottleNext(1, retryAfterSeconds: 1);

        var report = await h.CheckAsync();

        Assert.Equal("drift", (string)report["status"]!);
        Assert.Equal(1, (int)report["read"]!["throttled"]!);
        var requests = h.Control.Requests;
        Assert.Equal(429, requests[0].Status);
        Assert.Equal(requests[0].PathAndQuery, requests[1].PathAndQuery);
        Assert.Equal(200, requests[1].Status);
    }

    [Fact]
    public async Task Check_OktaKeepsThrottling_FailsAndRepairsNothing()
    {
        await using var h = await IdpCheckHarness.StartOktaAsync(Org(), "apply", "--IdentityProviders:Connections:idp:MaxRateLimitWait=00:00:01");
        await SeedScimAsync(h);
        h.Control.ThrottleNext(1, retryAfterSeconds: 30);

        var report = await h.CheckAsync();

        Assert.Equal("failed", (string)report["status"]!);
        Assert.Contains("429", (string)report["error"]!, StringComparison.Ordinal);
        Assert.True((await h.UsersAsync())["eve@example.com"]);
    }
}
