using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using ScimBridge.Core.Platforms;
using ScimBridge.Simulators.Cursor;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Platforms.Tests.Cursor;

/// <summary>Every Cursor operation the adapter declares, against the simulator, through the real registration.</summary>
public sealed class CursorAdapterTests : IAsyncLifetime
{
    private readonly CursorHarness _harness = new();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task The_whole_team_is_one_page_and_removed_members_are_listed_as_removed()
    {
        _harness.Control.ClearRequests();

        var page = await _harness.CreateAdapter().ListAccountsAsync(null, Timeout);

        Assert.Null(page.NextPageToken);
        Assert.Equal(CursorHarness.Team.Select(m => m.Id), page.Items.Select(a => a.Id));
        Assert.Equal(CursorHarness.Team.Select(m => m.Role), page.Items.Select(a => a.Role));
        Assert.Equal(AccountStatus.Removed, page.Items.Single(a => a.Id == "user_member003").Status);
        Assert.All(page.Items.Where(a => a.Id != "user_member003"), a => Assert.Equal(AccountStatus.Active, a.Status));
        Assert.Equal("mia@example.com", page.Items.Single(a => a.Id == "user_member001").Email);
        Assert.Equal(1, _harness.Control.Count("GET", "/teams/members"));
    }

    [Fact]
    public async Task The_team_is_the_one_container_and_holds_the_current_members_with_their_roles()
    {
        var adapter = (IContainerReader)_harness.CreateAdapter(overrides: [new("TeamName", "Acme Engineering")]);

        var container = Assert.Single((await adapter.ListContainersAsync(null, Timeout)).Items);
        var members = (await adapter.ListMembersAsync("team", null, Timeout)).Items;

        Assert.Equal(("team", "Acme Engineering", ContainerKind.Team), (container.Id, container.Name, container.Kind));
        Assert.Equal(
            [("user_owner0001", "owner"), ("user_admin0002", "free-owner"), ("user_member001", "member"), ("user_member002", "member")],
            members.Select(m => (m.AccountId, m.Role)));
        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.ListMembersAsync("proj_1", null, Timeout));
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Removal_by_id_and_by_email_changes_the_team_once_and_then_is_already_in_state()
    {
        var adapter = (IAccountRemover)_harness.CreateAdapter();

        Assert.Equal(ChangeOutcome.Applied, (await adapter.RemoveAccountAsync("user_member001", Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.RemoveAccountAsync("user_member001", Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.Applied, (await adapter.RemoveAccountAsync("MAX@example.com", Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.RemoveAccountAsync("max@example.com", Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.RemoveAccountAsync("user_never_was", Timeout)).Outcome);

        Assert.True(_harness.Sim.Member("user_member001")!.IsRemoved);
        Assert.True(_harness.Sim.Member("user_member002")!.IsRemoved);
        Assert.False(_harness.Sim.Member("user_owner0001")!.IsRemoved);
    }

    [Fact]
    public async Task Removing_the_last_admin_is_refused_as_not_allowed()
    {
        var adapter = (IAccountRemover)_harness.CreateAdapter();
        await adapter.RemoveAccountAsync("user_owner0001", Timeout); // the free-owner is still an admin

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.RemoveAccountAsync("user_admin0002", Timeout));

        Assert.Equal(PlatformErrorKind.NotAllowed, error.Kind);
        Assert.Contains("At least one admin (owner or free-owner) must remain", error.Message, StringComparison.Ordinal);
        Assert.False(_harness.Sim.Member("user_admin0002")!.IsRemoved);
    }

    [Fact]
    public async Task Removing_the_last_paid_member_is_refused_as_not_allowed()
    {
        _harness.Sim.Seed(Json("""
            {"teamMembers":[
              {"id":"user_free","name":"Free Owner","email":"free@example.com","role":"free-owner","isRemoved":false},
              {"id":"user_paid","name":"Paid Member","email":"paid@example.com","role":"member","isRemoved":false}]}
            """));
        var adapter = (IAccountRemover)_harness.CreateAdapter();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.RemoveAccountAsync("user_paid", Timeout));

        Assert.Equal(PlatformErrorKind.NotAllowed, error.Kind);
        Assert.Contains("At least one paid member must remain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_team_membership_removes_the_member_and_other_containers_do_not_exist()
    {
        var adapter = (IMembershipRevoker)_harness.CreateAdapter();

        Assert.Equal(ChangeOutcome.Applied, (await adapter.RevokeMembershipAsync("team", "user_member001", Timeout)).Outcome);
        Assert.True(_harness.Sim.Member("user_member001")!.IsRemoved);
        await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.RevokeMembershipAsync("workspace", "user_member002", Timeout));
        Assert.False(_harness.Sim.Member("user_member002")!.IsRemoved);
    }

    [Fact]
    public async Task Activity_over_75_days_is_read_in_windows_of_at_most_30_days_each_item_once()
    {
        var until = new DateTimeOffset(2026, 3, 31, 18, 0, 0, TimeSpan.Zero);
        var since = until.AddDays(-75);

        // Events on window edges (UTC midnights) and inside; usage on some days, one of them a window's first day.
        var times = Enumerable.Range(0, 76).Select(d => since.AddDays(d)).Append(since).Append(until)
            .Concat(Enumerable.Range(0, 76).Select(d => new DateTimeOffset(since.UtcDateTime.Date, TimeSpan.Zero).AddDays(d)).Where(t => t >= since && t <= until))
            .ToList();
        _harness.Sim.AddAuditEvents(times.Select((t, i) => new CursorSimAuditEvent($"evt_{i:D4}", t, "198.51.100.7", "mia@example.com", "login")));
        _harness.Sim.AddAuditEvents([new CursorSimAuditEvent("evt_too_old", since.AddSeconds(-1), null, null, "login")]);
        var activeDays = new[] { since.AddDays(1), since.AddDays(29), since.AddDays(30), until.AddHours(-1) }.Select(t => DateOnly.FromDateTime(t.UtcDateTime)).ToArray();
        foreach (var day in activeDays)
        {
            _harness.Sim.AddUsage("user_member001", day, new JsonObject { ["chatRequests"] = 3 });
        }

        _harness.Sim.AddUsage("user_owner0001", activeDays[0]);
        _harness.Control.ClearRequests();

        var reader = (IActivityReader)_harness.CreateAdapter(overrides: [new("PageSize", "10")]);
        var all = new List<PlatformActivity>();
        await foreach (var activity in Pages.ReadAllAsync((t, ct) => reader.ListActivityAsync(new ActivityQuery(since, until), t, ct), Timeout))
        {
            all.Add(activity);
        }

        var audit = all.Where(a => a.Type == "login").ToList();
        Assert.Equal(times.Count, audit.Count);
        Assert.Equal(audit.Count, audit.Select(a => a.Id).Distinct().Count());
        Assert.All(audit, a => Assert.Equal("198.51.100.7", a.IpAddress));
        var usage = all.Where(a => a.Type == "usage.daily").ToList();
        Assert.Equal(activeDays.Length + 1, usage.Count);
        Assert.Equal(usage.Count, usage.Select(a => a.Id).Distinct().Count());
        var lastActive = usage.Where(u => u.ActorAccountId == "user_member001").Max(u => u.OccurredAt);
        Assert.Equal(activeDays.Max(), DateOnly.FromDateTime(lastActive.UtcDateTime));

        // Every call asked for at most 30 days, and the windows cover the range without gaps.
        var auditRanges = _harness.Control.Requests.Where(r => r.PathAndQuery.StartsWith("/teams/audit-logs", StringComparison.Ordinal))
            .Select(r => QueryHelpers.ParseQuery(new Uri("http://x" + r.PathAndQuery).Query))
            .Where(q => q["page"] == "1")
            .Select(q => (Start: long.Parse(q["startTime"]!, CultureInfo.InvariantCulture), End: long.Parse(q["endTime"]!, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(3, auditRanges.Count); // 29¼ days (windows end on a UTC midnight), 30, then the last 15¾
        Assert.All(auditRanges, r => Assert.True(r.End - r.Start <= TimeSpan.FromDays(30).TotalMilliseconds));
        Assert.Equal(since.ToUnixTimeMilliseconds(), auditRanges[0].Start);
        Assert.Equal(until.ToUnixTimeMilliseconds(), auditRanges[^1].End);
        Assert.All(auditRanges.Zip(auditRanges.Skip(1)), p => Assert.Equal(p.First.End + 1, p.Second.Start));
        Assert.DoesNotContain(_harness.Control.Requests, r => r.Status != 200);
    }

    [Fact]
    public async Task A_page_token_from_elsewhere_is_rejected()
    {
        var reader = (IActivityReader)_harness.CreateAdapter();

        await Assert.ThrowsAsync<ArgumentException>(() => reader.ListActivityAsync(new ActivityQuery(DateTimeOffset.UtcNow.AddDays(-1)), "not-a-token", Timeout));
    }

    [Fact]
    public async Task Cursors_rate_limit_surfaces_its_60_second_Retry_After()
    {
        _harness.Control.SetRateLimit(new RateLimitSettings(Capacity: 20, RefillPerSecond: 20 / 60.0, RetryAfterSeconds: 60));
        var adapter = _harness.CreateAdapter();
        for (var i = 0; i < 20; i++)
        {
            await adapter.ListAccountsAsync(null, Timeout);
        }

        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Equal("Too Many Requests", error.PlatformCode);
        Assert.Contains("Rate limit exceeded. Please try again later.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_Scim_section_the_target_cannot_invite_and_with_one_it_can()
    {
        var plain = _harness.CreateAdapter();
        var withScim = _harness.CreateAdapter(overrides: _harness.ScimSection);

        Assert.IsNotAssignableFrom<IAccountInviter>(plain);
        Assert.Equal(_harness.ExpectedCapabilities, plain.Capabilities());
        Assert.IsAssignableFrom<IAccountInviter>(withScim);
        Assert.Equal(_harness.ExpectedCapabilities | PlatformCapabilities.InviteAccounts, withScim.Capabilities());
    }

    [Fact]
    public async Task Invites_go_over_SCIM_and_are_idempotent_and_cancelling_removes_the_member()
    {
        var adapter = _harness.CreateAdapter(overrides: _harness.ScimSection);
        var inviter = (IAccountInviter)adapter;
        var invitation = new AccountInvitation("new.hire@example.com", "New Hire", "member", []) { ExternalId = "emp-42" };

        var created = await inviter.InviteAsync(invitation, Timeout);
        var again = await inviter.InviteAsync(invitation with { Email = "New.Hire@example.com" }, Timeout);

        Assert.Equal(InviteOutcome.Created, created.Outcome);
        Assert.Equal((InviteOutcome.AlreadyMember, created.Id), (again.Outcome, again.Id));
        var account = Assert.Single((await adapter.ListAccountsAsync(null, Timeout)).Items, a => a.Id == created.Id);
        Assert.Equal(("new.hire@example.com", "New Hire", "member", AccountStatus.Active), (account.Email, account.Name, account.Role, account.Status));
        Assert.Equal(1, _harness.Control.Count("POST", "/scim/v2/Users"));

        Assert.Equal(ChangeOutcome.Applied, (await inviter.CancelInvitationAsync(created.Id, Timeout)).Outcome);
        Assert.True(_harness.Sim.Member(created.Id)!.IsRemoved);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await inviter.CancelInvitationAsync(created.Id, Timeout)).Outcome);

        // Assigned again: the same Cursor user comes back rather than a duplicate.
        var back = await inviter.InviteAsync(invitation, Timeout);
        Assert.Equal((InviteOutcome.Created, created.Id), (back.Outcome, back.Id));
        Assert.False(_harness.Sim.Member(created.Id)!.IsRemoved);
    }

    [Fact]
    public async Task An_invite_for_someone_already_on_the_team_is_already_member()
    {
        var inviter = (IAccountInviter)_harness.CreateAdapter(overrides: _harness.ScimSection);

        var result = await inviter.InviteAsync(new AccountInvitation("mia@example.com", "Mia Member", "member", []), Timeout);

        Assert.Equal((InviteOutcome.AlreadyMember, "user_member001"), (result.Outcome, result.Id));
        Assert.Equal(0, _harness.Control.Count("POST", "/scim/v2/Users"));
    }

    [Fact]
    public async Task A_wrong_SCIM_token_is_an_authentication_failure_that_never_reaches_a_log()
    {
        var token = "scim-token-" + Guid.NewGuid().ToString("N");
        var section = _harness.ScimSection.Select(p => p.Key == "Scim:Token" ? new KeyValuePair<string, string?>(p.Key, token) : p);
        var inviter = (IAccountInviter)_harness.CreateAdapter(overrides: section);

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => inviter.InviteAsync(new AccountInvitation("x@example.com", null, "member", []), Timeout));

        Assert.Equal((PlatformErrorKind.Authentication, 401), (error.Kind, error.StatusCode));
        Assert.NotEmpty(_harness.Logs.Lines);
        Assert.Empty(_harness.Logs.Containing(token));
        Assert.Empty(_harness.Logs.Containing(_harness.Sim.ScimToken));
    }

    private static MemoryStream Json(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));
}
