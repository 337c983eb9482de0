using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Core.Activity;
using ScimBridge.Core.Reports;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Persistence;

/// <summary>
/// The activity store (migration 006) as the service registers it, on the run's backend (SQLite, or PostgreSQL with
/// SCIMBRIDGE_TEST_BACKEND=postgres). Each test uses targets of its own, so listings filter by target.
/// </summary>
public sealed class ActivityStoreTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private readonly IActivityStore _store = fixture.Server.Services.GetRequiredService<IActivityStore>();
    private readonly string _target = "target-" + Guid.NewGuid().ToString("N")[..12];

    private ActivityRecord Event(string id, DateTimeOffset time, params string[] flags) => new(
        _target, "openai", id, time, "login.succeeded", new ActivityActor("user-1", "ada@example.com", flags.Contains(ActivityFlags.UnknownKey) ? "key-1" : null),
        flags.Contains(ActivityFlags.UnknownKey) ? null : new IdentityRef("entra", "ada@example.com", !flags.Contains(ActivityFlags.Deprovisioned)),
        "203.0.113.7", "Mozilla/5.0", flags);

    private async Task<List<ActivityRecord>> AllAsync(string? flag = null, int limit = 2)
    {
        var all = new List<ActivityRecord>();
        string? cursor = null;
        do
        {
            var page = await _store.ListAsync(new ActivityFilter(_target, flag, limit, cursor), CancellationToken.None);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        return all;
    }

    [Fact]
    public async Task Append_SameEventTwice_IsStoredOnce()
    {
        Assert.Equal(2, await _store.AppendAsync([Event("e1", T0), Event("e2", T0.AddMinutes(1))], T0, CancellationToken.None));
        Assert.Equal(1, await _store.AppendAsync([Event("e2", T0.AddMinutes(1)), Event("e3", T0.AddMinutes(2))], T0, CancellationToken.None));

        Assert.Equal(["e3", "e2", "e1"], (await AllAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task List_RoundTripsEveryFieldAndFiltersByFlag()
    {
        var leaver = Event("e-leaver", T0, ActivityFlags.Deprovisioned);
        var unknown = Event("e-key", T0.AddSeconds(1), ActivityFlags.UnknownKey);
        await _store.AppendAsync([leaver, unknown, Event("e-ok", T0.AddSeconds(2))], T0, CancellationToken.None);

        var stored = (await AllAsync(limit: 10)).ToDictionary(e => e.Id);
        Assert.Equal(leaver, stored["e-leaver"] with { Flags = leaver.Flags });
        Assert.Equal([ActivityFlags.Deprovisioned], stored["e-leaver"].Flags);
        Assert.Null(stored["e-key"].Identity);
        Assert.Equal("key-1", stored["e-key"].Actor.ApiKeyId);
        Assert.Equal(T0, stored["e-ok"].Time.AddSeconds(-2));

        Assert.Equal(["e-leaver"], (await AllAsync(ActivityFlags.Deprovisioned)).Select(e => e.Id));
        Assert.Equal(["e-key"], (await AllAsync(ActivityFlags.UnknownKey)).Select(e => e.Id));
    }

    [Fact]
    public async Task List_PagesThroughEventsOfTheSameSecondWithoutLossOrRepeat()
    {
        var events = Enumerable.Range(0, 7).Select(i => Event($"e{i}", i < 5 ? T0 : T0.AddSeconds(1))).ToList();
        await _store.AppendAsync(events, T0, CancellationToken.None);

        var listed = await AllAsync(limit: 2);

        Assert.Equal(["e6", "e5", "e4", "e3", "e2", "e1", "e0"], listed.Select(e => e.Id));
    }

    [Fact]
    public async Task Cursor_RoundTripsAndAForeignCursorIsRefused()
    {
        Assert.Null(await _store.GetCursorAsync(_target, CancellationToken.None));
        await _store.SetCursorAsync(_target, T0, CancellationToken.None);
        await _store.SetCursorAsync(_target, T0.AddHours(1), CancellationToken.None);

        Assert.Equal(T0.AddHours(1), await _store.GetCursorAsync(_target, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ListAsync(new ActivityFilter(_target, null, 10, "!!"), CancellationToken.None));
    }
}
