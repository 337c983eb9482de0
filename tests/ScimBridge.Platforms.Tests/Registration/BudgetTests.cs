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
    public async Task Calls_over_the_rate_budget_wait_for_their_turn()
    {
        // 1,200 a minute with a burst of one: a token every 50 ms. Six calls at once need five more tokens, so the last
        // cannot start before four replenishments after the first (the timer's first tick may come early); a late
        // tick only spreads them further.
        var adapter = _harness.CreateAdapter(overrides: [new("RequestsPerMinute", "1200"), new("RequestBurst", "1"), new("MaxConcurrency", "8")]);
        _harness.Control.ClearRequests();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => adapter.ListAccountsAsync(null, CancellationToken.None)));

        var seen = _harness.Control.Requests.Where(r => r.PathAndQuery.StartsWith("/v1/organization/users", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, seen.Count);
        Assert.All(seen, r => Assert.Equal(200, r.Status));
        var span = (seen.Max(r => r.At) - seen.Min(r => r.At)).TotalMilliseconds;
        Assert.True(span >= 150, $"six calls within {span:F0} ms");
    }

    [Fact]
    public void Cursor_targets_default_to_the_documented_20_a_minute_and_others_to_no_rate_budget()
    {
        Assert.Equal(20, new ScimBridge.Platforms.Cursor.CursorOptions().RequestsPerMinute);
        Assert.Equal(0, new ScimBridge.Platforms.OpenAI.OpenAIOptions().RequestsPerMinute);
        Assert.Equal(4, new ScimBridge.Platforms.OpenAI.OpenAIOptions().MaxConcurrency);
    }
}
