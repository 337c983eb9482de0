using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.IdentityProviders;
using ScimBridge.IntegrationTests.Infrastructure;
using ScimBridge.Persistence;

namespace ScimBridge.IntegrationTests.IdentityProviders;

/// <summary>
/// The IdP check store (migration 005) as the service registers it, on the run's backend (SQLite, or PostgreSQL with
/// SCIMBRIDGE_TEST_BACKEND=postgres). Each test uses a connection name of its own.
/// </summary>
public sealed class IdpCheckStoreTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private readonly IIdpCheckStore _store = fixture.Server.Services.GetRequiredService<IIdpCheckStore>();
    private readonly IStoreDatabase _database = fixture.Server.Services.GetRequiredService<IStoreDatabase>();
    private readonly string _connection = "idp-" + Guid.NewGuid().ToString("N")[..12];

    private IdpCheckReport Report(DateTimeOffset started, params IdpFinding[] findings) => new(
        Guid.CreateVersion7(), _connection, "operator", findings.Length == 0 ? IdpCheckReport.Consistent : IdpCheckReport.Drift, RepairMode.Report, false,
        started, started.AddSeconds(2), new IdpReadStats(4, 3, 1, false), 2, 1, 2, 1, findings, [], [], null, null);

    [Fact]
    public async Task SaveRun_ThenGetAndList_RoundTripsTheReportAndItsFindings()
    {
        var findings = new[]
        {
            new IdpFinding(FindingKind.UserNotReceived, "obj-1", "ada@contoso.com"),
            new IdpFinding(FindingKind.MembershipNoLongerAssigned, null, "bo@contoso.com", "s2", "grp-1", "Eng", "g1"),
        };
        var older = Report(T0);
        var newer = Report(T0.AddMinutes(5), findings);
        await _store.SaveRunAsync(older, null, CancellationToken.None);
        await _store.SaveRunAsync(newer, null, CancellationToken.None);

        var stored = await _store.GetRunAsync(newer.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal((newer.Id, _connection, "drift", 2, newer.Started, newer.Finished), (stored.Id, stored.Connection, stored.Status, stored.Findings, stored.Started, stored.Finished));
        var report = JsonSerializer.Deserialize<IdpCheckReport>(stored.ReportJson, IdpCheckReport.Json)!;
        Assert.Equal(findings, report.Findings);
        Assert.Equal([newer.Id, older.Id], (await _store.ListRunsAsync(_connection, 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Null(await _store.GetRunAsync(Guid.NewGuid(), CancellationToken.None));

        var kinds = await _database.ReadAsync(
            db => db.QueryAsync<string>("SELECT kind FROM idp_check_findings WHERE group_name = 'Eng' AND user_name = 'bo@contoso.com'"), CancellationToken.None);
        Assert.Contains("MembershipNoLongerAssigned", kinds);
    }

    [Fact]
    public async Task SaveRun_WithCursor_ReplacesTheConnectionsCursorAndView()
    {
        Assert.Null(await _store.GetCursorAsync(_connection, CancellationToken.None));
        var first = new IdpView(
            new Dictionary<string, IdpUser> { ["obj-1"] = new("obj-1", "ada@contoso.com", true, "Ada") },
            new Dictionary<string, IdpGroup> { ["grp-1"] = new("grp-1", "Eng", ["obj-1"]) });
        await _store.SaveRunAsync(Report(T0), new IdpCursorState("{\"users\":\"link-1\"}", first, T0), CancellationToken.None);
        await _store.SaveRunAsync(Report(T0.AddMinutes(1)), new IdpCursorState("{\"users\":\"link-2\"}", IdpView.Empty, T0.AddMinutes(1)), CancellationToken.None);

        var cursor = await _store.GetCursorAsync(_connection, CancellationToken.None);

        Assert.NotNull(cursor);
        Assert.Equal("{\"users\":\"link-2\"}", cursor.Cursor);
        Assert.True(cursor.View.IsEmpty);
        Assert.Equal(T0.AddMinutes(1), cursor.Updated);
    }

    [Fact]
    public async Task PruneRuns_DeletesOldRunsAndTheirFindings_ButKeepsEachConnectionsNewest()
    {
        // Long before T0, so no other test's runs in this database are as old.
        var old = T0.AddYears(-20);
        var finding = new IdpFinding(FindingKind.UserNotReceived, "obj-9", "old@contoso.com");
        var oldest = Report(old, finding);
        var recent = Report(old.AddDays(30));
        await _store.SaveRunAsync(oldest, null, CancellationToken.None);
        await _store.SaveRunAsync(recent, null, CancellationToken.None);
        var lonelyConnection = _connection + "-lonely";
        var lonely = Report(old.AddDays(-5)) with { Id = Guid.CreateVersion7(), Connection = lonelyConnection };
        await _store.SaveRunAsync(lonely, null, CancellationToken.None);

        Assert.True(await _store.PruneRunsAsync(old.AddDays(10), CancellationToken.None) >= 1);

        Assert.Null(await _store.GetRunAsync(oldest.Id, CancellationToken.None));
        Assert.NotNull(await _store.GetRunAsync(recent.Id, CancellationToken.None));
        Assert.NotNull(await _store.GetRunAsync(lonely.Id, CancellationToken.None)); // its connection's newest, however old
        var orphans = await _database.ReadAsync(
            db => db.QueryAsync<string>("SELECT user_name FROM idp_check_findings WHERE user_name = 'old@contoso.com'"), CancellationToken.None);
        Assert.Empty(orphans);
    }
}
