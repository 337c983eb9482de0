using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Reconciliation;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Persistence;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>
/// The reconciliation store as the service registers it, on the run's backend (SQLite, or PostgreSQL with
/// SCIMBRIDGE_TEST_BACKEND=postgres). Each test works on targets of its own.
/// </summary>
public sealed class ReconciliationStoreTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private readonly IReconciliationStore _store = fixture.Server.Services.GetRequiredService<IReconciliationStore>();
    private readonly IStoreDatabase _database = fixture.Server.Services.GetRequiredService<IStoreDatabase>();
    private readonly string _target = "target-" + Guid.NewGuid().ToString("N")[..12];
    private readonly Guid _entra = Guid.NewGuid();
    private readonly Guid _okta = Guid.NewGuid();

    [Fact]
    public async Task GetManaged_UnknownTarget_IsEmpty() =>
        Assert.Empty(await _store.GetManagedAsync(_target, CancellationToken.None));

    [Fact]
    public async Task UpdateManaged_RoundTrips_ByLowerCasedEmail()
    {
        await _store.UpdateManagedAsync(
            _target, [new ManagedIdentity("Ada@Example.COM", "user-1", _entra), new ManagedIdentity("bob@example.com", "user-2", _okta)], [], T0, CancellationToken.None);

        var managed = await _store.GetManagedAsync(_target, CancellationToken.None);
        Assert.Equal(["ada@example.com", "bob@example.com"], managed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ManagedIdentity("ada@example.com", "user-1", _entra), managed["ada@example.com"]);
        Assert.Equal(new ManagedIdentity("bob@example.com", "user-2", _okta), managed["BOB@example.com"]);
        Assert.Empty(await _store.GetManagedAsync(_target + "-other", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateManaged_Upsert_UpdatesWhoItIs_AndKeepsSince()
    {
        await _store.UpdateManagedAsync(_target, [new ManagedIdentity("ada@example.com", "user-1", _entra)], [], T0, CancellationToken.None);
        await _store.UpdateManagedAsync(_target, [new ManagedIdentity("ADA@example.com", "user-9", _okta)], [], T0.AddDays(1), CancellationToken.None);

        var ada = Assert.Single(await _store.GetManagedAsync(_target, CancellationToken.None)).Value;
        Assert.Equal(new ManagedIdentity("ada@example.com", "user-9", _okta), ada);
        var since = await _database.ReadAsync(
            db => db.ExecuteScalarAsync<string>("SELECT since FROM managed_access WHERE target = @target", new { target = _target }), CancellationToken.None);
        Assert.Equal("2026-03-01T09:30:15.1234567Z", since);
    }

    [Fact]
    public async Task UpdateManaged_Forget_RemovesOnlyThoseEmails_OnlyOnThatTarget()
    {
        var other = _target + "-other";
        ManagedIdentity[] everyone = [new("a@example.com", "1", _entra), new("b@example.com", "2", _entra), new("c@example.com", "3", _entra)];
        await _store.UpdateManagedAsync(_target, everyone, [], T0, CancellationToken.None);
        await _store.UpdateManagedAsync(other, everyone, [], T0, CancellationToken.None);

        await _store.UpdateManagedAsync(_target, [new ManagedIdentity("d@example.com", "4", _okta)], ["A@Example.com", "c@example.com", "never@example.com"], T0, CancellationToken.None);

        Assert.Equal(["b@example.com", "d@example.com"], (await _store.GetManagedAsync(_target, CancellationToken.None)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, (await _store.GetManagedAsync(other, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task UpdateManaged_SameEmailManagedAndForgotten_StaysManaged()
    {
        await _store.UpdateManagedAsync(_target, [new ManagedIdentity("a@example.com", "1", _entra)], [], T0, CancellationToken.None);

        await _store.UpdateManagedAsync(_target, [new ManagedIdentity("A@example.com", "1", _entra)], ["a@example.com"], T0, CancellationToken.None);

        Assert.Single(await _store.GetManagedAsync(_target, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateManaged_ManyIdentities_OneCall()
    {
        var many = Enumerable.Range(0, 5_000).Select(i => new ManagedIdentity($"user{i}@example.com", $"id-{i}", i % 2 == 0 ? _entra : _okta)).ToList();
        await _store.UpdateManagedAsync(_target, many, [], T0, CancellationToken.None);
        await _store.UpdateManagedAsync(_target, [], [.. many.Take(2_500).Select(m => m.Email)], T0, CancellationToken.None);

        var managed = await _store.GetManagedAsync(_target, CancellationToken.None);
        Assert.Equal(2_500, managed.Count);
        Assert.Equal(new ManagedIdentity("user4999@example.com", "id-4999", _okta), managed["user4999@example.com"]);
    }

    [Fact]
    public async Task SaveRun_InsertsThenUpdates_AndGetRunRoundTrips()
    {
        var id = Guid.NewGuid();
        var started = new ReconcileRunRecord(id, _target, "scim", DryRun: true, "Running", T0, null, """{"steps":[]}""");
        await _store.SaveRunAsync(started, CancellationToken.None);
        var read = await _store.GetRunAsync(id, CancellationToken.None);
        Assert.Equal(started with { ReportJson = "" }, read! with { ReportJson = "" });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(started.ReportJson), JsonNode.Parse(read.ReportJson)));

        var report = """{"status":"applied","drift":[{"email":"ada@example.com","kind":"missing"}],"steps":[{"kind":"invite","email":"ada@example.com"}]}""";
        var finished = started with { Status = "Applied", DryRun = false, Finished = T0.AddSeconds(3), ReportJson = report };
        await _store.SaveRunAsync(finished, CancellationToken.None);

        var after = await _store.GetRunAsync(id, CancellationToken.None);
        Assert.Equal(finished with { ReportJson = "" }, after! with { ReportJson = "" });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(report), JsonNode.Parse(after.ReportJson)));
        Assert.Null(await _store.GetRunAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task ListRuns_NewestFirst_WithALimit_OfOneTargetOrAll()
    {
        var other = _target + "-other";
        var runs = Enumerable.Range(0, 6)
            .Select(i => new ReconcileRunRecord(Guid.NewGuid(), i % 2 == 0 ? _target : other, "schedule", false, "Applied", T0.AddYears(50).AddMinutes(i), T0.AddYears(50).AddMinutes(i).AddSeconds(1), "{}"))
            .ToList();

        // Saved out of order: the list orders by start time, not by insertion.
        foreach (var run in runs.OrderBy(r => r.Id))
        {
            await _store.SaveRunAsync(run, CancellationToken.None);
        }

        var ofTarget = await _store.ListRunsAsync(_target, 2, CancellationToken.None);
        Assert.Equal([runs[4].Id, runs[2].Id], ofTarget.Select(r => r.Id));

        // T0 + 50 years: later than any other test's run in this database, so the newest of all are these.
        var all = await _store.ListRunsAsync(null, 4, CancellationToken.None);
        Assert.Equal([runs[5].Id, runs[4].Id, runs[3].Id, runs[2].Id], all.Select(r => r.Id));
        Assert.Equal(runs[5], all[0] with { ReportJson = "{}" });
        Assert.All(all, r => Assert.Equal("", r.ReportJson)); // listings leave the reports behind

        // Listed by trigger, runs come with their reports.
        var scheduled = await _store.ListRunsAsync(_target, ["schedule"], 5, CancellationToken.None);
        Assert.Equal([runs[4].Id, runs[2].Id, runs[0].Id], scheduled.Select(r => r.Id));
        Assert.All(scheduled, r => Assert.Equal("{}", r.ReportJson));
        Assert.Empty(await _store.ListRunsAsync(_target, ["scim"], 5, CancellationToken.None));
    }

    [Fact]
    public async Task PruneRuns_DeletesRunsOlderThanTheRetention_ButKeepsEachTargetsNewest()
    {
        // Long before T0, so no other test's runs in this database are as old (those start at T0 or later).
        var old = T0.AddYears(-20);
        var lonely = _target + "-lonely";
        var oldest = new ReconcileRunRecord(Guid.NewGuid(), _target, "scim", false, "Applied", old, old.AddSeconds(1), "{}");
        var older = oldest with { Id = Guid.NewGuid(), Started = old.AddDays(1) };
        var recent = oldest with { Id = Guid.NewGuid(), Started = old.AddDays(30) };
        var onlyRun = oldest with { Id = Guid.NewGuid(), Target = lonely, Started = old.AddDays(-5) };
        foreach (var run in new[] { oldest, older, recent, onlyRun })
        {
            await _store.SaveRunAsync(run, CancellationToken.None);
        }

        var deleted = await _store.PruneRunsAsync(old.AddDays(10), CancellationToken.None);

        Assert.True(deleted >= 2, $"deleted {deleted}");
        Assert.Null(await _store.GetRunAsync(oldest.Id, CancellationToken.None));
        Assert.Null(await _store.GetRunAsync(older.Id, CancellationToken.None));
        Assert.NotNull(await _store.GetRunAsync(recent.Id, CancellationToken.None));
        Assert.NotNull(await _store.GetRunAsync(onlyRun.Id, CancellationToken.None)); // its target's newest, however old
    }
}
