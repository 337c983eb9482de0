using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Audit;
using ScimBridge.Simulators.IdentityProviders.Graph;

namespace ScimBridge.Platforms.Tests.IdentityProviders;

/// <summary>
/// IdP checks of an Entra connection against the Graph fake (Microsoft.Graph SDK and Azure.Identity pointed at it): each
/// kind of disagreement, repair through the SCIM use cases, paging, 429 with Retry-After, delta reads, and the guards
/// against repairing from a failed or empty read.
/// </summary>
public sealed class EntraIdpCheckTests
{
    private const string Sp = "9d2b5c1e-3f40-4a8b-9c1d-000000000001";
    private const string Alice = "00000000-0000-4000-8000-0000000a11ce";
    private const string Bob = "00000000-0000-4000-8000-000000000b0b";
    private const string Carol = "00000000-0000-4000-8000-00000000ca01";
    private const string Dave = "00000000-0000-4000-8000-00000000da7e";
    private const string Research = "00000000-0000-4000-8000-0000000000a1";

    // Research (alice, bob, carol) is assigned; dave is assigned directly; carol is disabled in Entra.
    private static GraphSimState Tenant() => new(
        Sp,
        [
            new GraphSimUser(Alice, "alice@contoso.com", "Alice", true),
            new GraphSimUser(Bob, "bob@contoso.com", "Bob", true),
            new GraphSimUser(Carol, "carol@contoso.com", "Carol", false),
            new GraphSimUser(Dave, "dave@contoso.com", "Dave", true),
        ],
        [new GraphSimGroup(Research, "Research", [Alice, Bob, Carol])],
        [
            new GraphSimAssignment("a1", Research, "Group", "Research"),
            new GraphSimAssignment("a2", Dave, "User", "Dave"),
        ]);

    // What the SCIM pushes left: bob and dave never arrived, carol is still active, erin was never unassigned here,
    // and Research has alice and erin but not bob or carol.
    private static async Task SeedScimAsync(IdpCheckHarness h)
    {
        var alice = await h.CreateUserAsync("alice@contoso.com", "alice");
        await h.CreateUserAsync("carol@contoso.com", "carol");
        var erin = await h.CreateUserAsync("erin@contoso.com", "erin");
        await h.CreateGroupAsync("Research", Research, alice, erin);
    }

    [Fact]
    public async Task Check_EachDisagreementKind_IsReportedAndNothingChangesInReportMode()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "report");
        await SeedScimAsync(h);

        var report = await h.CheckAsync();

        Assert.Equal("drift", (string)report["status"]!);
        Assert.Equal(["bob@contoso.com", "dave@contoso.com"], IdpCheckHarness.Findings(report, "UserNotReceived"));
        Assert.Equal(["erin@contoso.com"], IdpCheckHarness.Findings(report, "UserNoLongerAssigned"));
        Assert.Equal(["carol@contoso.com"], IdpCheckHarness.Findings(report, "DisabledInIdpActiveHere"));
        Assert.Equal(["bob@contoso.com@Research", "carol@contoso.com@Research"], IdpCheckHarness.Findings(report, "MembershipNotReceived"));
        Assert.Equal(["erin@contoso.com@Research"], IdpCheckHarness.Findings(report, "MembershipNoLongerAssigned"));
        Assert.False((bool)report["repairApplied"]!);
        Assert.All(report["repairs"]!.AsArray(), r => Assert.Equal("planned", (string)r!["result"]!));
        Assert.Equal(3, (await h.UsersAsync()).Count);
        Assert.Equal(["alice@contoso.com", "erin@contoso.com"], await h.MembersAsync("Research"));

        // The run is stored and listed.
        var stored = (await h.Admin.GetFromJsonAsync<JsonObject>($"admin/idp-checks/{report["id"]}"))!;
        Assert.Equal(report["findings"]!.AsArray().Count, stored["findings"]!.AsArray().Count);
        var runs = (await h.Admin.GetFromJsonAsync<JsonArray>("admin/idp-checks?connection=idp"))!;
        Assert.Equal((string)report["id"]!, (string)runs.Single()!["id"]!);
    }

    [Fact]
    public async Task Check_EnterpriseAppNamedByAppId_IsResolvedOnce()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(
            Tenant(), "report", "--IdentityProviders:Connections:idp:ServicePrincipalId=", "--IdentityProviders:Connections:idp:AppId=11111111-2222-4333-8444-555555555555");
        await SeedScimAsync(h);

        var first = await h.CheckAsync();
        var second = await h.CheckAsync();

        Assert.Equal(["bob@contoso.com", "dave@contoso.com"], IdpCheckHarness.Findings(second, "UserNotReceived"));
        Assert.Equal(first["findings"]!.AsArray().Count, second["findings"]!.AsArray().Count);
        Assert.Equal(1, h.Control.Requests.Count(r => r.PathAndQuery.StartsWith("/v1.0/servicePrincipals(appId=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Check_RepairApply_TreatsTheIdpAsTruthThroughTheScimStore()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "apply");
        await SeedScimAsync(h);

        var report = await h.CheckAsync();

        Assert.True((bool)report["repairApplied"]!);
        Assert.All(report["repairs"]!.AsArray(), r => Assert.Equal("applied", (string)r!["result"]!));
        var users = await h.UsersAsync();
        Assert.True(users["bob@contoso.com"]);
        Assert.True(users["dave@contoso.com"]);
        Assert.False(users["carol@contoso.com"]);
        Assert.False(users["erin@contoso.com"]);
        Assert.Equal(["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"], await h.MembersAsync("Research"));

        var again = await h.CheckAsync();
        Assert.Equal("consistent", (string)again["status"]!);

        // Both runs and every applied step are in the audit chain.
        var audit = h.Services.GetRequiredService<IAuditStore>();
        var events = (await audit.QueryAsync(new AuditQuery { Connection = IdpCheckHarness.Connection, Limit = 1000 }, CancellationToken.None)).Events.Select(e => e.Event).ToList();
        Assert.Equal(2, events.Count(e => e.Kind == "idp.check"));
        Assert.Equal(report["repairs"]!.AsArray().Count, events.Count(e => e.Kind == "idp.repair" && e.Outcome == "success"));
        Assert.Contains(events, e => e.Kind == "idp.repair" && e.Action == "DeactivateUser" && e.Details!.Contains("erin@contoso.com", StringComparison.Ordinal));

        // Operators find them by kind too.
        var byKind = (await h.Admin.GetFromJsonAsync<JsonObject>("admin/audit?kind=idp.check"))!["events"]!.AsArray();
        Assert.Equal(2, byKind.Count(e => (string?)e!["connection"] == IdpCheckHarness.Connection));
    }

    [Fact]
    public async Task Check_SecondRun_ReadsOnlyTheDeltaAndSeesWhatChanged()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "apply");
        await SeedScimAsync(h);
        var first = await h.CheckAsync();
        Assert.False((bool)first["read"]!["incremental"]!);
        Assert.Equal("consistent", (string)(await h.CheckAsync())["status"]!);

        // In Entra: alice is disabled and bob leaves Research.
        h.Graph!.Platform.UpsertUser(new GraphSimUser(Alice, "alice@contoso.com", "Alice", false));
        h.Graph.Platform.RemoveMember(Research, Bob);
        h.Control.ClearRequests();
        var report = await h.CheckAsync(repair: false);

        Assert.True((bool)report["read"]!["incremental"]!);
        Assert.Equal(["alice@contoso.com"], IdpCheckHarness.Findings(report, "DisabledInIdpActiveHere"));
        Assert.Equal(["bob@contoso.com@Research"], IdpCheckHarness.Findings(report, "MembershipNoLongerAssigned"));
        Assert.Equal(["bob@contoso.com"], IdpCheckHarness.Findings(report, "UserNoLongerAssigned"));
        var paths = h.Control.Requests.Select(r => Uri.UnescapeDataString(r.PathAndQuery)).ToList();
        Assert.Contains(paths, p => p.StartsWith("/v1.0/users/", StringComparison.Ordinal) && p.Contains("delta", StringComparison.Ordinal)
            && p.Contains("$deltatoken=", StringComparison.Ordinal) && !p.Contains("$deltatoken=latest", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.StartsWith("/v1.0/groups/", StringComparison.Ordinal) && p.Contains("delta", StringComparison.Ordinal)
            && p.Contains("$deltatoken=", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.Contains("/members", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.StartsWith($"/v1.0/users/{Alice}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_ExpiredDeltaLink_FallsBackToAFullRead()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "report");
        await SeedScimAsync(h);
        await h.CheckAsync();
        h.Graph!.Platform.ExpireDeltaTokens();
        h.Graph.Platform.UpsertUser(new GraphSimUser(Alice, "alice@contoso.com", "Alice", false));
        h.Control.ClearRequests();

        var report = await h.CheckAsync();

        Assert.False((bool)report["read"]!["incremental"]!);
        Assert.Contains(h.Control.Requests, r => r.Status == 410);
        Assert.Equal(["alice@contoso.com", "carol@contoso.com"], IdpCheckHarness.Findings(report, "DisabledInIdpActiveHere"));
    }

    [Fact]
    public async Task DriftReport_MarksWhatIsNewAndShowsALaterFailure()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "report");
        await SeedScimAsync(h);
        await h.CheckAsync();
        h.Graph!.Platform.UpsertUser(new GraphSimUser(Alice, "alice@contoso.com", "Alice", false));
        var second = await h.CheckAsync();
        h.Control.FailNext(1, 500);
        var failed = await h.CheckAsync();
        Assert.Equal("failed", (string)failed["status"]!);

        var report = (await h.Admin.GetFromJsonAsync<JsonObject>("admin/reports/idp?connection=idp"))!;

        var connection = report["connections"]!.AsArray().Single()!;
        Assert.Equal((string)second["id"]!, (string)connection["runId"]!);
        Assert.Equal((string)failed["id"]!, (string)connection["lastFailure"]!["runId"]!);
        var lines = connection["items"]!.AsArray();
        Assert.Equal(second["findings"]!.AsArray().Count, lines.Count);
        Assert.True((bool)lines.Single(l => (string)l!["finding"]!["userName"]! == "alice@contoso.com")!["new"]!);
        Assert.False((bool)lines.Single(l => (string)l!["finding"]!["kind"]! == "UserNotReceived" && (string)l["finding"]!["userName"]! == "bob@contoso.com")!["new"]!);

        var csv = await h.Admin.GetStringAsync("admin/reports/idp?format=csv");
        Assert.StartsWith("connection,runId,runStarted,kind,userName,groupName", csv, StringComparison.Ordinal);
        Assert.Contains($"idp,{second["id"]},", csv, StringComparison.Ordinal);
        Assert.Contains(",DisabledInIdpActiveHere,alice@contoso.com,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnknownConnection_Is404()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "report");

        using var response = await h.Admin.PostAsJsonAsync("admin/idp-checks", new { connection = "nope" });

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await h.Admin.GetAsync($"admin/idp-checks/{Guid.NewGuid()}")).StatusCode);
        using var stranger = new HttpClient { BaseAddress = h.Admin.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("admin/idp-checks", new { })).StatusCode);

        // The operator endpoints are described in the OpenAPI document.
        var paths = JsonNode.Parse(await h.Admin.GetStringAsync("openapi/v1.json"))!["paths"]!.AsObject();
        Assert.Contains("/admin/idp-checks", paths.Select(p => p.Key.TrimEnd('/')));
        Assert.Contains("/admin/reports/idp", paths.Select(p => p.Key));
    }

    [Fact]
    public async Task Check_MembersOverSeveralPages_AreAllRead()
    {
        var many = Enumerable.Range(1, 7).Select(i => new GraphSimUser($"00000000-0000-4000-8000-0000000010{i:00}", $"user{i}@contoso.com", $"User {i}", true)).ToList();
        var tenant = new GraphSimState(Sp, many, [new GraphSimGroup(Research, "Research", [.. many.Select(u => u.Id)])], [new GraphSimAssignment("a1", Research, "Group", "Research")]);
        await using var h = await IdpCheckHarness.StartEntraAsync(tenant, "report");
        h.Graph!.Platform.PageSize = 2;

        var report = await h.CheckAsync();

        Assert.Equal(7, (int)report["idpUsers"]!);
        Assert.Equal(7, IdpCheckHarness.Findings(report, "UserNotReceived").Count);
        Assert.True(h.Control.Count("GET", $"/v1.0/groups/{Research}/members") >= 4, "7 members at 2 a page take 4 pages");
    }

    [Fact]
    public async Task Check_LargeTenant_LaterChecksCostAHandfulOfRequests()
    {
        // 3,000 assigned users in three groups; the SCIM store holds them all. After the first check, one user is
        // disabled: the next check reads the two delta rounds and the assignments, not 3,000 users again.
        var users = Enumerable.Range(1, 3000).Select(i => new GraphSimUser($"00000000-0000-4000-8000-{i:000000000000}", $"user{i}@contoso.com", $"User {i}", true)).ToList();
        string[] groupIds = ["00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2", "00000000-0000-4000-8000-0000000000b3"];
        var groups = groupIds.Select((id, g) => new GraphSimGroup(id, $"Team {g}", [.. users.Skip(g * 1000).Take(1000).Select(u => u.Id)])).ToList();
        var tenant = new GraphSimState(Sp, users, groups, [.. groups.Select((g, i) => new GraphSimAssignment($"a{i}", g.Id, "Group", g.DisplayName))]);
        await using var h = await IdpCheckHarness.StartEntraAsync(tenant, "report");
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var mediator = scope.ServiceProvider.GetRequiredService<Mediator.IMediator>();
            var connection = (await h.Services.GetRequiredService<ScimBridge.Core.Connections.IConnectionStore>().FindByNameAsync(IdpCheckHarness.Connection, CancellationToken.None))!;
            var caller = new ScimBridge.Core.Resources.ScimCaller(connection, ScimBridge.Scim.Dialects.IdpDialect.Entra, "");
            var ids = new List<string>();
            foreach (var user in users)
            {
                var created = await mediator.Send(new ScimBridge.Core.Resources.CreateResource(
                    caller, ScimBridge.Scim.Schemas.ScimResourceKind.User, new JsonObject { ["userName"] = user.UserPrincipalName, ["active"] = true }, "id", null));
                ids.Add((string)created.Body!["id"]!);
            }

            foreach (var (group, g) in groups.Select((group, g) => (group, g)))
            {
                await mediator.Send(new ScimBridge.Core.Resources.CreateResource(caller, ScimBridge.Scim.Schemas.ScimResourceKind.Group, new JsonObject
                {
                    ["displayName"] = group.DisplayName,
                    ["externalId"] = group.Id,
                    ["members"] = new JsonArray([.. ids.Skip(g * 1000).Take(1000).Select(id => (JsonNode)new JsonObject { ["value"] = id })]),
                }, "id", null));
            }
        }

        var first = await h.CheckAsync();
        Assert.Equal("consistent", (string)first["status"]!);
        h.Graph!.Platform.UpsertUser(users[1234] with { AccountEnabled = false });

        var second = await h.CheckAsync();

        Assert.Equal(["user1235@contoso.com"], IdpCheckHarness.Findings(second, "DisabledInIdpActiveHere"));
        Assert.Equal(3000, (int)second["idpUsers"]!);
        var firstRequests = (int)first["read"]!["requests"]!;
        var secondRequests = (int)second["read"]!["requests"]!;
        Assert.True(secondRequests <= 3, $"the incremental check sent {secondRequests} Graph requests");
        Assert.True(firstRequests >= 6, $"the first check sent {firstRequests} Graph requests");
    }

    [Fact]
    public async Task Check_GraphAnswers429WithRetryAfter_WaitsAndSucceeds()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "report");
        await SeedScimAsync(h);
        await h.CheckAsync();
        h.Control.ClearRequests();
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
    public async Task Check_FailedRead_NeverRepairs()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "apply");
        await SeedScimAsync(h);

        // A first check (told not to repair) gets the token; then Graph fails one read, which its SDK does not retry.
        Assert.Equal("drift", (string)(await h.CheckAsync(repair: false))["status"]!);
        h.Control.FailNext(1, 500);

        var report = await h.CheckAsync();

        Assert.Equal("failed", (string)report["status"]!);
        Assert.Empty(report["repairs"]!.AsArray());
        var users = await h.UsersAsync();
        Assert.True(users["erin@contoso.com"]);
        Assert.False(users.ContainsKey("bob@contoso.com"));
    }

    [Fact]
    public async Task Check_WrongClientSecret_FailsWithoutTouchingTheStore()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(Tenant(), "apply", "--IdentityProviders:Connections:idp:ClientSecret=not-the-secret");
        await SeedScimAsync(h);

        var report = await h.CheckAsync();

        Assert.Equal("failed", (string)report["status"]!);
        Assert.Contains("token", (string)report["error"]!, StringComparison.OrdinalIgnoreCase);
        Assert.True((await h.UsersAsync())["erin@contoso.com"]);
    }

    [Fact]
    public async Task Check_IdpAssignsNothing_HoldsEveryDeactivation()
    {
        await using var h = await IdpCheckHarness.StartEntraAsync(new GraphSimState(Sp, [], [], []), "apply");
        await h.CreateUserAsync("alice@contoso.com", "alice");
        await h.CreateUserAsync("erin@contoso.com", "erin");

        var report = await h.CheckAsync();

        Assert.Equal(["alice@contoso.com", "erin@contoso.com"], IdpCheckHarness.Findings(report, "UserNoLongerAssigned"));
        Assert.Equal(2, report["held"]!.AsArray().Count);
        Assert.Empty(report["repairs"]!.AsArray());
        Assert.NotNull(report["heldReason"]);
        Assert.All(await h.UsersAsync(), u => Assert.True(u.Value));
    }
}
