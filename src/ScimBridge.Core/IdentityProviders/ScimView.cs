using System.Text.Json.Nodes;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.IdentityProviders;

/// <summary>A SCIM user as the comparison needs it.</summary>
public sealed record ScimUserEntry(string Id, string? ExternalId, string UserName, bool Active);

/// <summary>A SCIM group as the comparison needs it, with the ids of its User members.</summary>
public sealed record ScimGroupEntry(string Id, string? ExternalId, string DisplayName, IReadOnlyList<string> MemberIds);

/// <summary>What one connection's SCIM pushes left in the store.</summary>
public sealed record ScimView(IReadOnlyList<ScimUserEntry> Users, IReadOnlyList<ScimGroupEntry> Groups)
{
    private const int PageSize = 1000;

    /// <summary>Reads every user and group (with members) of <paramref name="connectionId"/>, a page at a time.</summary>
    public static async Task<ScimView> ReadAsync(IResourceStore store, Guid connectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var users = new List<ScimUserEntry>();
        await foreach (var record in AllAsync(store, ScimResourceKind.User, connectionId, includeRelations: false, cancellationToken).ConfigureAwait(false))
        {
            var active = record.Body["active"] is not JsonValue value || !value.TryGetValue<bool>(out var flag) || flag;
            users.Add(new ScimUserEntry(record.Id, Text(record.Body, "externalId"), Text(record.Body, "userName") ?? "", active));
        }

        var groups = new List<ScimGroupEntry>();
        await foreach (var record in AllAsync(store, ScimResourceKind.Group, connectionId, includeRelations: true, cancellationToken).ConfigureAwait(false))
        {
            var members = (record.Members ?? []).Where(m => string.Equals(m.Type, "User", StringComparison.OrdinalIgnoreCase)).Select(m => m.Value).ToList();
            groups.Add(new ScimGroupEntry(record.Id, Text(record.Body, "externalId"), Text(record.Body, "displayName") ?? "", members));
        }

        return new ScimView(users, groups);
    }

    private static async IAsyncEnumerable<ResourceRecord> AllAsync(
        IResourceStore store, ScimResourceKind kind, Guid connectionId, bool includeRelations, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 1; ; start += PageSize)
        {
            var page = await store.QueryAsync(kind, connectionId, new ResourceQuery(null, null, false, start, PageSize, includeRelations), cancellationToken)
                .ConfigureAwait(false);
            foreach (var record in page.Resources)
            {
                yield return record;
            }

            if (page.Resources.Count < PageSize || start + PageSize > page.TotalResults)
            {
                yield break;
            }
        }
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
