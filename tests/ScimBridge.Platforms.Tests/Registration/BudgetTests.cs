using ScimBridge.Platforms.Tests.OpenAI;
using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Platforms.Tests.Registration;

/// <summary>
/// A target's concurrency and rate budgets (Platforms:Targets:&lt;name&gt;:MaxConcurrency, RequestsPerMinute), enforced in
/// the HTTP pipeline every adapter call goes through: the simulator sees no more than the budget at once, and paced
/// requests arrive spaced by the budget instead of drawing 429s.
/// </summary>
public sealed class BudgetTests : IAsyncLifetime
{
    private readonly OpenAIHarness _harness = new();

    public Task InitializeAsync() => _harness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task No_more_calls_than_the_concurrency_budget_are_in_flight_at_once(int budget)
    {
        var adapter = _harness.CreateAdapter(overrides: [new("MaxConcurrency", budget.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        _harness.Control.SetFaults(new FaultSettings(LatencyMilliseconds: 100));
        _harness.Control.ClearRequests();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => adapter.ListAccountsAsync(null, CancellationToken.None)));

        Assert.Equal(8, _harness.Control.Count("GET", "/v1/organization/users"));
        Assert.Equal(budget, _harness.Control.MaxInFlight);
        Assert.Equal(budget, adapter.Target.MaxConcurrency);
    }

    [Fact]
    public async Task Without_a_tighter_budget_the_same_calls_overlap()
    {
        // The control for the test above: the simulator can serve these calls side by side, so the budget is what bounded them.
        var adapter = _harness.CreateAdapter(overrides: [new("MaxConcurrency", "8")]);
        _harness.Control.SetFaults(new FaultSettings(LatencyMilliseconds: 100));
        _harness.Control.ClearRequests();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => adapter.ListAccountsAsync(null, CancellationToken.None)));

        Assert.True(_harness.Control.MaxInFlight > 2, $"peak in flight {_harness.Control.MaxInFlight}");
    }

    [Fact]
    public async Task Calls_over_the_rate_budget_wait_for_their_turn_and_draw_no_429()
    {
        // 1,200 a minute with a burst of one: a request every 50 ms at most.
        var adapter = _harness.CreateAdapter(overrides: [new("RequestsPerMinute", "1200"), new("RequestBurst", "1"), new("MaxConcurrency", "8")]);
        _harness.Control.SetRateLimit(new RateLimitSettings(Capacity: 1, RefillPerSecond: 25, RetryAfterSeconds: 5));
        _harness.Control.ClearRequests();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => adapter.ListAccountsAsync(null, CancellationToken.None)));

        var seen = _harness.Control.Requests.Where(r => r.PathAndQuery.StartsWith("/v1/organization/users", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, seen.Count);
        Assert.All(seen, r => Assert.Equal(200, r.Status));

        // The platform's own bucket (one token, 25 a second) would answer 429 to anything faster than 40 ms apart.
        var gaps = seen.Zip(seen.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= 35, $"requests {gap:F0} ms apart"));
    }

    [Fact]
    public void Cursor_targets_default_to_the_documented_20_a_minute_and_others_to_no_rate_budget()
    {
        Assert.Equal(20, new ScimBridge.Platforms.Cursor.CursorOptions().RequestsPerMinute);
        Assert.Equal(0, new ScimBridge.Platforms.OpenAI.OpenAIOptions().RequestsPerMinute);
        Assert.Equal(4, new ScimBridge.Platforms.OpenAI.OpenAIOptions().MaxConcurrency);
    }
}
