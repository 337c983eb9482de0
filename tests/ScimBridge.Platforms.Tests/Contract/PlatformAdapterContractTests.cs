using System.Diagnostics.Metrics;
using ScimBridge.Core;
using ScimBridge.Core.Platforms;

namespace ScimBridge.Platforms.Tests.Contract;

/// <summary>
/// The contract every platform adapter passes against its simulator (baton-sdk's chaos-connector idea, kept small):
/// paging across many pages, idempotent grant and revoke, a 404 on revoke counted as success, 429 → transient with its
/// delay, auth failure → permanent, retries that honour Retry-After, no secret in any log line. A platform's test class
/// derives from this with its harness; a capability the platform lacks is asserted absent, not skipped.
/// </summary>
public abstract class PlatformAdapterContractTests<THarness> : IAsyncLifetime
    where THarness : PlatformHarness, new()
{
    protected THarness Harness { get; } = new();

    public Task InitializeAsync() => Harness.StartAsync();

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public void Declares_exactly_the_capabilities_the_platform_has()
    {
        Assert.Equal(Harness.ExpectedCapabilities, Harness.CreateAdapter().Capabilities());
    }

    [Fact]
    public async Task Validate_reports_healthy_with_the_admin_key_and_unhealthy_with_another()
    {
        Assert.True((await Harness.CreateAdapter().ValidateAsync(Timeout)).Healthy);
        var wrong = await Harness.CreateAdapter(apiKey: "wrong-" + Guid.NewGuid().ToString("N")).ValidateAsync(Timeout);
        Assert.False(wrong.Healthy);
        Assert.DoesNotContain("wrong-", wrong.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_streams_every_item_across_many_pages()
    {
        Harness.SeedPagedItems((Harness.PageSize * 6) + 7);
        var expected = Harness.PagedItemCount;
        Harness.Control.ClearRequests();

        var ids = new List<string>();
        await foreach (var id in Harness.ReadPagedIdsAsync(Harness.CreateAdapter(), Timeout))
        {
            ids.Add(id);
        }

        Assert.Equal(expected, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(Harness.Control.Count("GET", Harness.PagedPath) + Harness.Control.Count("POST", Harness.PagedPath) >= 7);
    }

    [Fact]
    public async Task Grant_is_idempotent_and_changes_the_role_of_an_existing_member()
    {
        var adapter = Harness.CreateAdapter();
        if (adapter is not IMembershipGranter granter)
        {
            Assert.False(Harness.ExpectedCapabilities.HasFlag(PlatformCapabilities.GrantMembership));
            return;
        }

        var (container, account, role, otherRole) = Harness.MembershipFixture();
        Assert.Equal(ChangeOutcome.Applied, (await granter.GrantMembershipAsync(container, account, role, Timeout)).Outcome);
        Assert.Equal(ChangeOutcome.AlreadyInState, (await granter.GrantMembershipAsync(container, account, role, Timeout)).Outcome);
        Assert.Equal([role], Harness.SimulatedRoles(container, account));

        Assert.Equal(ChangeOutcome.Applied, (await granter.GrantMembershipAsync(container, account, otherRole, Timeout)).Outcome);
        Assert.Equal([otherRole], Harness.SimulatedRoles(container, account));
    }

    [Fact]
    public async Task Revoke_is_idempotent_and_a_404_counts_as_success()
    {
        var adapter = Harness.CreateAdapter();
        if (adapter is IMembershipRevoker revoker)
        {
            var (container, account, role, _) = Harness.MembershipFixture();
            Assert.Equal(ChangeOutcome.AlreadyInState, (await revoker.RevokeMembershipAsync(container, account, Timeout)).Outcome);
            if (adapter is IMembershipGranter granter)
            {
                await granter.GrantMembershipAsync(container, account, role, Timeout);
            }
            else
            {
                // A platform may revoke without being able to grant (Cursor: remove-member, but no invite API).
                Harness.SeedMembership(container, account, role);
            }

            Assert.Equal(ChangeOutcome.Applied, (await revoker.RevokeMembershipAsync(container, account, Timeout)).Outcome);
            Assert.Empty(Harness.SimulatedRoles(container, account));
            Assert.Equal(ChangeOutcome.AlreadyInState, (await revoker.RevokeMembershipAsync(container, account, Timeout)).Outcome);
        }
        else
        {
            Assert.False(Harness.ExpectedCapabilities.HasFlag(PlatformCapabilities.RevokeMembership));
        }

        if (adapter is IAccountRemover remover)
        {
            var account = Harness.RemovableAccountId();
            Assert.Equal(ChangeOutcome.Applied, (await remover.RemoveAccountAsync(account, Timeout)).Outcome);
            Assert.False(Harness.SimulatedAccountExists(account));
            Assert.Equal(ChangeOutcome.AlreadyInState, (await remover.RemoveAccountAsync(account, Timeout)).Outcome);
        }
        else
        {
            Assert.False(Harness.ExpectedCapabilities.HasFlag(PlatformCapabilities.RemoveAccounts));
        }
    }

    [Fact]
    public async Task Lookups_find_one_account_and_one_membership_without_listing()
    {
        var adapter = Harness.CreateAdapter();
        if (adapter is IAccountLookup accounts)
        {
            var first = (await adapter.ListAccountsAsync(null, Timeout)).Items.First(a => a.Email is not null);
            Assert.Equal(first.Id, (await accounts.FindAccountAsync(first.Email!.ToUpperInvariant(), Timeout))?.Id);
            Assert.Null(await accounts.FindAccountAsync($"nobody-{Guid.NewGuid():N}@example.invalid", Timeout));
        }
        else
        {
            Assert.False(Harness.ExpectedCapabilities.HasFlag(PlatformCapabilities.LookUpAccounts));
        }

        if (adapter is IMembershipLookup memberships)
        {
            var (container, account, role, _) = Harness.MembershipFixture();
            Assert.Null(await memberships.FindMemberAsync(container, account, Timeout));
            await ((IMembershipGranter)adapter).GrantMembershipAsync(container, account, role, Timeout);
            Assert.Equal(role, (await memberships.FindMemberAsync(container, account, Timeout))?.Role);
        }
        else
        {
            Assert.False(Harness.ExpectedCapabilities.HasFlag(PlatformCapabilities.LookUpMemberships));
        }
    }

    [Fact]
    public async Task A_429_with_a_long_Retry_After_becomes_a_transient_error_carrying_the_delay()
    {
        var adapter = Harness.CreateAdapter();
        Harness.Control.ThrottleNext(requests: 100, retryAfterSeconds: 120);
        Harness.Control.ClearRequests();

        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(PlatformHarness.TargetName, error.Target);

        // 120 s is beyond MaxInlineRetryAfterSeconds: handed back to the caller to schedule, not slept through.
        Assert.Single(Harness.Control.Requests);
    }

    [Fact]
    public async Task A_429_with_a_short_Retry_After_is_waited_out_and_retried()
    {
        var adapter = Harness.CreateAdapter();
        Harness.Control.ThrottleNext(requests: 1, retryAfterSeconds: 1);
        Harness.Control.ClearRequests();

        await adapter.ListAccountsAsync(null, Timeout);

        var requests = Harness.Control.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), "the retry came before Retry-After");
    }

    [Fact]
    public async Task An_auth_failure_is_permanent_and_not_retried()
    {
        var adapter = Harness.CreateAdapter(apiKey: "not-the-key");
        Harness.Control.ClearRequests();

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.ListAccountsAsync(null, Timeout));

        Assert.Equal(PlatformErrorKind.Authentication, error.Kind);
        Assert.Equal(401, error.StatusCode);
        Assert.Single(Harness.Control.Requests);
    }

    [Fact]
    public async Task Server_errors_and_dropped_connections_on_reads_are_retried()
    {
        var adapter = Harness.CreateAdapter();
        Harness.Control.FailNext(requests: 1, status: 503);
        Harness.Control.ClearRequests();
        await adapter.ListAccountsAsync(null, Timeout);
        Assert.Equal([503, 200], Harness.Control.Requests.Select(r => r.Status));

        Harness.Control.DropNext(requests: 1);
        Harness.Control.ClearRequests();
        await adapter.ListAccountsAsync(null, Timeout);
        Assert.Equal([0, 200], Harness.Control.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Persistent_server_errors_end_as_a_transient_error_after_the_configured_retries()
    {
        var adapter = Harness.CreateAdapter();
        Harness.Control.FailNext(requests: 50, status: 500);
        Harness.Control.ClearRequests();

        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));

        Assert.Equal(PlatformErrorKind.Unavailable, error.Kind);
        Assert.Equal(4, Harness.Control.Requests.Count); // the first try and MaxRetryAttempts=3
    }

    [Fact]
    public async Task Every_call_is_counted_with_its_outcome()
    {
        var outcomes = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ScimBridgeTelemetry.Name && instrument.Name == "adapter.calls")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value?.ToString());
            if (t.GetValueOrDefault("platform") == Harness.Platform)
            {
                lock (outcomes)
                {
                    outcomes.Add(t["outcome"]!);
                }
            }
        });
        listener.Start();

        var adapter = Harness.CreateAdapter();
        await adapter.ListAccountsAsync(null, Timeout);
        Harness.Control.ThrottleNext(requests: 100, retryAfterSeconds: 120);
        await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));

        lock (outcomes)
        {
            Assert.Contains("ok", outcomes);
            Assert.Contains(nameof(PlatformErrorKind.RateLimited), outcomes);
        }
    }

    [Fact]
    public async Task No_secret_reaches_any_log_line()
    {
        var wrongKey = "sk-wrong-" + Guid.NewGuid().ToString("N");
        var adapter = Harness.CreateAdapter();
        await adapter.ValidateAsync(Timeout);
        await adapter.ListAccountsAsync(null, Timeout);
        Harness.Control.ThrottleNext(requests: 100, retryAfterSeconds: 120);
        await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));
        Harness.Control.ThrottleNext(0, 0);
        Harness.Control.FailNext(requests: 50, status: 500);
        await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));
        Harness.Control.FailNext(0);
        await Assert.ThrowsAsync<PlatformPermanentException>(() => Harness.CreateAdapter(apiKey: wrongKey).ListAccountsAsync(null, Timeout));
        var minted = await Harness.ExerciseSecretsAsync(Harness.CreateAdapter(), Timeout);

        Assert.NotEmpty(Harness.Logs.Lines); // the capture works: HttpClient and the adapter did log
        foreach (var secret in minted.Append(Harness.AdminKey).Append(wrongKey))
        {
            Assert.Empty(Harness.Logs.Containing(secret));
        }
    }
}
