using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>Organization users and invites through the adapter, against the simulator.</summary>
public sealed class OpenAIAccountTests : IAsyncLifetime
{
    private readonly OpenAIHarness _harness = new();

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Accounts_carry_role_scim_flag_and_last_key_use()
    {
        var adapter = _harness.CreateAdapter();

        var page = await adapter.ListAccountsAsync(null, Timeout);

        Assert.Equal([OpenAIHarness.OwnerId, OpenAIHarness.DeveloperId, OpenAIHarness.NewcomerId, OpenAIHarness.RemovableId], page.Items.Select(a => a.Id));
        var developer = page.Items[1];
        Assert.Equal(("dev@example.test", "Dev Eloper", "reader", true), (developer.Email, developer.Name, developer.Role, developer.IsScimManaged));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1735776000), developer.LastActiveAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1711471600), developer.AddedAt);
        Assert.False(page.Items[0].IsScimManaged);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(500, 100)]
    public async Task Account_pages_use_the_classic_limit_clamped_to_100(int pageSize, int expectedLimit)
    {
        _harness.Sim.AddUsers(250);
        var adapter = _harness.CreateAdapter(overrides: [new("PageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        _harness.Control.ClearRequests();

        var ids = new List<string>();
        await foreach (var account in Pages.ReadAllAsync(adapter.ListAccountsAsync, Timeout))
        {
            ids.Add(account.Id);
        }

        Assert.Equal(254, ids.Distinct().Count());
        var requests = _harness.Control.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Equal((254 + expectedLimit - 1) / expectedLimit, requests.Count);
        Assert.All(requests, r => Assert.Contains($"limit={expectedLimit}", r, StringComparison.Ordinal));
        Assert.Equal($"/v1/organization/users?limit={expectedLimit}&after={ids[expectedLimit - 1]}", requests[1]);
    }

    [Fact]
    public async Task Setting_a_role_is_idempotent_and_unknown_users_are_not_found()
    {
        var adapter = _harness.Adapter<IAccountRoleManager>();

        Assert.Equal(ChangeOutcome.Applied, (await adapter.SetAccountRoleAsync(OpenAIHarness.NewcomerId, "owner", Timeout)).Outcome);
        _harness.Control.ClearRequests();
        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.SetAccountRoleAsync(OpenAIHarness.NewcomerId, "owner", Timeout)).Outcome);

        Assert.Equal(["GET"], _harness.Control.Requests.Select(r => r.Method));
        var user = (await _harness.CreateAdapter().ListAccountsAsync(null, Timeout)).Items.Single(a => a.Id == OpenAIHarness.NewcomerId);
        Assert.Equal("owner", user.Role);
        var missing = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.SetAccountRoleAsync("user-nobody", "owner", Timeout));
        Assert.Equal(PlatformErrorKind.NotFound, missing.Kind);
        var invalid = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.SetAccountRoleAsync(OpenAIHarness.NewcomerId, "admin", Timeout));
        Assert.Equal((PlatformErrorKind.Validation, 400), (invalid.Kind, invalid.StatusCode));
    }

    [Fact]
    public async Task Removing_an_account_takes_it_out_of_projects_and_groups_and_repeats_as_already_in_state()
    {
        var adapter = _harness.Adapter<IAccountRemover>();

        Assert.Equal(ChangeOutcome.Applied, (await adapter.RemoveAccountAsync(OpenAIHarness.DeveloperId, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.RemoveAccountAsync(OpenAIHarness.DeveloperId, Timeout)).Outcome);

        Assert.False(_harness.Sim.UserExists(OpenAIHarness.DeveloperId));
        Assert.Null(_harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, OpenAIHarness.DeveloperId));
        Assert.False(_harness.Sim.GroupHasUser(OpenAIHarness.EngineeringGroup, OpenAIHarness.DeveloperId));
        Assert.Equal("DELETE", _harness.Control.Requests[^1].Method);
    }

    [Fact]
    public async Task Invitations_list_with_status_projects_and_either_timestamp()
    {
        var adapter = _harness.Adapter<IInvitationReader>();

        var invites = (await adapter.ListInvitationsAsync(null, Timeout)).Items.ToDictionary(i => i.Id);

        Assert.Equal(InvitationStatus.Pending, invites[OpenAIHarness.PendingInvite].Status);
        Assert.Equal([new ContainerGrant(OpenAIHarness.ResearchProject, "member")], invites[OpenAIHarness.PendingInvite].Containers);
        Assert.Equal(InvitationStatus.Accepted, invites[OpenAIHarness.AcceptedInvite].Status);

        // Status still says pending, but expires_at has passed; it was seeded with the 2025 invited_at only.
        Assert.Equal(InvitationStatus.Expired, invites[OpenAIHarness.ExpiredInvite].Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), invites[OpenAIHarness.ExpiredInvite].CreatedAt);
    }

    [Fact]
    public async Task Inviting_sends_one_invite_with_project_assignments_and_repeats_as_already_invited()
    {
        var adapter = _harness.Adapter<IAccountInviter>();
        var invitation = new AccountInvitation("New.Person@Example.test", "New Person", "reader", [new ContainerGrant(OpenAIHarness.ResearchProject, "owner")]);

        var first = await adapter.InviteAsync(invitation, Timeout);
        var second = await adapter.InviteAsync(invitation with { Email = "new.person@example.test" }, Timeout);

        Assert.Equal(InviteOutcome.Invited, first.Outcome);
        Assert.Equal(new InviteResult(InviteOutcome.AlreadyInvited, first.Id), second);
        Assert.Equal(1, _harness.Sim.InviteCount("new.person@example.test"));
        var sent = (await _harness.Adapter<IInvitationReader>().ListInvitationsAsync(null, Timeout)).Items.Single(i => i.Id == first.Id);
        Assert.Equal(("reader", InvitationStatus.Pending), (sent.Role, sent.Status));
        Assert.Equal([new ContainerGrant(OpenAIHarness.ResearchProject, "owner")], sent.Containers);

        // Once accepted, the person is a member: no new invite either.
        var userId = _harness.Sim.AcceptInvite(first.Id);
        Assert.Equal(new InviteResult(InviteOutcome.AlreadyMember, userId), await adapter.InviteAsync(invitation, Timeout));
        Assert.Equal("owner", _harness.Sim.ProjectUserRole(OpenAIHarness.ResearchProject, userId));
        Assert.Equal(1, _harness.Sim.InviteCount("new.person@example.test"));
    }

    [Fact]
    public async Task Existing_members_and_pending_invites_are_found_without_a_post_but_an_expired_invite_is_renewed()
    {
        var adapter = _harness.Adapter<IAccountInviter>();
        _harness.Control.ClearRequests();

        var member = await adapter.InviteAsync(new AccountInvitation("dev@example.test", null, "reader", []), Timeout);
        var pending = await adapter.InviteAsync(new AccountInvitation("pending@example.test", null, "reader", []), Timeout);

        Assert.Equal(new InviteResult(InviteOutcome.AlreadyMember, OpenAIHarness.DeveloperId), member);
        Assert.Equal(new InviteResult(InviteOutcome.AlreadyInvited, OpenAIHarness.PendingInvite), pending);
        Assert.DoesNotContain(_harness.Control.Requests, r => r.Method == "POST");
        Assert.Contains(_harness.Control.Requests, r => r.PathAndQuery == "/v1/organization/users?emails[]=dev%40example.test&limit=100");

        var renewed = await adapter.InviteAsync(new AccountInvitation("late@example.test", null, "reader", []), Timeout);
        Assert.Equal(InviteOutcome.Invited, renewed.Outcome);
        Assert.NotEqual(OpenAIHarness.ExpiredInvite, renewed.Id);
    }

    [Fact]
    public async Task Inviting_several_pages_of_invites_deep_still_finds_the_pending_one()
    {
        var adapter = _harness.Adapter<IAccountInviter>(pageSize: 2);
        for (var i = 0; i < 5; i++)
        {
            await adapter.InviteAsync(new AccountInvitation($"bulk{i}@example.test", null, "reader", []), Timeout);
        }

        var again = await adapter.InviteAsync(new AccountInvitation("bulk4@example.test", null, "reader", []), Timeout);

        Assert.Equal(InviteOutcome.AlreadyInvited, again.Outcome);
        Assert.Equal(1, _harness.Sim.InviteCount("bulk4@example.test"));
    }

    [Fact]
    public async Task Cancelling_an_invite_is_idempotent_but_an_accepted_one_is_an_error()
    {
        var adapter = _harness.Adapter<IAccountInviter>();

        Assert.Equal(ChangeOutcome.Applied, (await adapter.CancelInvitationAsync(OpenAIHarness.PendingInvite, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.CancelInvitationAsync(OpenAIHarness.PendingInvite, Timeout)).Outcome);
        Assert.Null(_harness.Sim.InviteStatus(OpenAIHarness.PendingInvite));

        var accepted = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.CancelInvitationAsync(OpenAIHarness.AcceptedInvite, Timeout));
        Assert.Equal((PlatformErrorKind.Validation, 400), (accepted.Kind, accepted.StatusCode));
        Assert.Contains("accepted", accepted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invite_to_an_unknown_project_fails_without_retrying_the_create()
    {
        var adapter = _harness.Adapter<IAccountInviter>();
        _harness.Control.ClearRequests();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            adapter.InviteAsync(new AccountInvitation("x@example.test", null, "reader", [new ContainerGrant("proj_missing", "member")]), Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Single(_harness.Control.Requests, r => r.Method == "POST");
        Assert.Equal(0, _harness.Sim.InviteCount("x@example.test"));
    }
}
