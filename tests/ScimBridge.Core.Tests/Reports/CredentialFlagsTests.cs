using Microsoft.Extensions.Time.Testing;
using ScimBridge.Core.Reports;

namespace ScimBridge.Core.Tests.Reports;

public sealed class CredentialFlagsTests
{
    private static readonly InventoryThresholds Thresholds = new(StaleDays: 45, UnrotatedDays: 90);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private DateTimeOffset DaysAgo(double days) => _time.GetUtcNow().AddDays(-days);

    private IReadOnlyList<string> Flags(CredentialFacts facts) => CredentialFlags.For(facts, _time.GetUtcNow(), Thresholds);

    [Fact]
    public void For_OwnedRecentlyUsedYoungKey_HasNoFlags() =>
        Assert.Empty(Flags(new CredentialFacts(true, true, OwnerState.Identity, DaysAgo(10), DaysAgo(1), true)));

    [Theory]
    [InlineData(OwnerState.Deprovisioned)]
    [InlineData(OwnerState.Gone)]
    [InlineData(OwnerState.Unknown)]
    public void For_OwnerDeprovisionedGoneOrUnknown_IsOrphaned(OwnerState owner) =>
        Assert.Equal([InventoryTerms.Orphaned], Flags(new CredentialFacts(true, true, owner, DaysAgo(10), DaysAgo(1), true)));

    [Theory]
    [InlineData(OwnerState.NoIdentity)]
    [InlineData(OwnerState.ServiceAccount)]
    public void For_NoIdpIdentityOwnsIt_IsShadow(OwnerState owner) =>
        Assert.Equal([InventoryTerms.Shadow], Flags(new CredentialFacts(true, true, owner, DaysAgo(10), DaysAgo(1), true)));

    [Fact]
    public void For_LastUseCrossesStaleDays_TurnsStaleOnTheDay()
    {
        var facts = new CredentialFacts(true, true, OwnerState.Identity, DaysAgo(60), DaysAgo(44), true);
        Assert.Empty(Flags(facts));

        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal([InventoryTerms.Stale], Flags(facts));
    }

    [Fact]
    public void For_NeverUsedOnAPlatformThatReportsUse_CountsIdleFromCreation() =>
        Assert.Equal([InventoryTerms.Stale], Flags(new CredentialFacts(true, true, OwnerState.Identity, DaysAgo(50), null, LastUseReported: true)));

    [Fact]
    public void For_NoLastUseOnAPlatformThatDoesNotReportIt_IsNotStale() =>
        Assert.Empty(Flags(new CredentialFacts(true, true, OwnerState.Identity, DaysAgo(50), null, LastUseReported: false)));

    [Fact]
    public void For_KeyOlderThanUnrotatedDays_IsUnrotated()
    {
        var facts = new CredentialFacts(true, true, OwnerState.Identity, DaysAgo(89.5), DaysAgo(1), true);
        Assert.Empty(Flags(facts));

        _time.Advance(TimeSpan.FromDays(0.5));

        Assert.Equal([InventoryTerms.Unrotated], Flags(facts));
    }

    [Fact]
    public void For_ServiceAccountItself_IsNeverUnrotated() =>
        Assert.Equal([InventoryTerms.Shadow], Flags(new CredentialFacts(true, Rotatable: false, OwnerState.ServiceAccount, DaysAgo(400), DaysAgo(1), true)));

    [Fact]
    public void For_InactiveKey_HasNoFlagsWhateverElseHolds() =>
        Assert.Empty(Flags(new CredentialFacts(false, true, OwnerState.Deprovisioned, DaysAgo(400), DaysAgo(300), true)));

    [Fact]
    public void For_EverythingWrong_HasEveryFlagButShadow() =>
        Assert.Equal(
            [InventoryTerms.Orphaned, InventoryTerms.Stale, InventoryTerms.Unrotated],
            Flags(new CredentialFacts(true, true, OwnerState.Deprovisioned, DaysAgo(200), DaysAgo(100), true)));

    [Fact]
    public void AgeDays_CountsWholeDaysAndIsNullWithoutCreation()
    {
        Assert.Equal(12, CredentialFlags.AgeDays(DaysAgo(12.9), _time.GetUtcNow()));
        Assert.Null(CredentialFlags.AgeDays(null, _time.GetUtcNow()));
    }
}
