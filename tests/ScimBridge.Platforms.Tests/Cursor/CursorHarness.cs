using System.Text.Json;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Tests.Contract;
using ScimBridge.Simulators.Cursor;

namespace ScimBridge.Platforms.Tests.Cursor;

/// <summary>
/// The Cursor adapter against <see cref="CursorSimulator"/>. /teams/members is unpaged, so the contract's paged listing
/// is the audit log (page numbers), read through <see cref="IActivityReader"/>. The team is an owner, a free-owner,
/// three members (one removed); "user_joiner001" is not on it.
/// </summary>
public sealed class CursorHarness : SimulatorHarness<CursorSimulator>
{
    public const string Joiner = "user_joiner001";

    public static IReadOnlyList<CursorSimMember> Team { get; } =
    [
        new("user_owner0001", "Olivia Owner", "olivia@example.com", "owner"),
        new("user_admin0002", "Fred Free", "fred@example.com", "free-owner"),
        new("user_member001", "Mia Member", "mia@example.com", "member"),
        new("user_member002", "Max Member", "max@example.com", "member"),
        new("user_member003", "Rita Removed", "rita@example.com", "member", IsRemoved: true),
    ];

    public override string Platform => "cursor";

    // The shape of a real key (key_ + 64 hex), so the redactor's pattern is exercised too.
    public override string AdminKey { get; } = "key_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public override PlatformCapabilities ExpectedCapabilities =>
        PlatformCapabilities.ListAccounts | PlatformCapabilities.ListContainers | PlatformCapabilities.ListActivity
        | PlatformCapabilities.RemoveAccounts | PlatformCapabilities.RevokeMembership;

    public override string PagedPath => "/teams/audit-logs";

    public override int PagedItemCount => Sim.AuditEventCount;

    /// <summary>The SCIM sub-section that makes the target able to invite.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ScimSection => new Dictionary<string, string?>
    {
        ["Scim:BaseUrl"] = new Uri(Running.Root, "scim/v2").AbsoluteUri,
        ["Scim:Token"] = Sim.ScimToken,
    };

    public override void SeedPagedItems(int count)
    {
        var now = DateTimeOffset.UtcNow;
        Sim.AddAuditEvents(Enumerable.Range(0, count).Select(i => new CursorSimAuditEvent(
            $"evt_paged_{i:D6}",
            now.AddMinutes(-i - 1),
            "203.0.113.42",
            Team[i % 4].Email,
            "login",
            JsonSerializer.SerializeToElement(new { user_agent = "Cursor/1.0" }))));
    }

    public override async IAsyncEnumerable<string> ReadPagedIdsAsync(IPlatformAdapter adapter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = (IActivityReader)adapter;
        var query = new ActivityQuery(DateTimeOffset.UtcNow.AddDays(-7));
        await foreach (var activity in Pages.ReadAllAsync((token, ct) => reader.ListActivityAsync(query, token, ct), cancellationToken))
        {
            if (activity.Type != "usage.daily")
            {
                yield return activity.Id;
            }
        }
    }

    public override (string ContainerId, string AccountId, string Role, string OtherRole) MembershipFixture() => ("team", Joiner, "member", "owner");

    public override IReadOnlyList<string> SimulatedRoles(string containerId, string accountId) =>
        containerId == "team" && Sim.Member(accountId) is { IsRemoved: false } member ? [member.Role] : [];

    public override void SeedMembership(string containerId, string accountId, string role) =>
        Sim.UpsertMember(new CursorSimMember(accountId, "Jo Joiner", "jo@example.com", role));

    public override string RemovableAccountId() => "user_member002";

    public override bool SimulatedAccountExists(string accountId) => Sim.Member(accountId) is { IsRemoved: false };

    public override async Task StartAsync()
    {
        await StartSimulatorAsync(new CursorSimulator(TimeProvider.System));
        foreach (var member in Team)
        {
            Sim.UpsertMember(member);
        }
    }
}
