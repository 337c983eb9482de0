using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Reconciliation;

/// <summary>A SCIM user as the policy sees it, with the email it is known by on the platforms.</summary>
public sealed record SourcedIdentity(Guid ConnectionId, PolicyIdentity Identity, IReadOnlyList<string> Emails)
{
    /// <summary>The email matched against platform accounts: the primary email, else the first, else an email-shaped userName.</summary>
    public string? Email => Emails.Count > 0 ? Emails[0] : null;
}

/// <summary>
/// Reads the IdP's identities out of the SCIM store for the policy: every user of every connection with the
/// displayName and externalId of each group it is in (policies match groups by either). Streams a page of users at a
/// time; groups are read once per connection.
/// </summary>
public sealed class IdentitySource(IResourceStore store, IConnectionStore connections)
{
    private const int PageSize = 1000;

    public async IAsyncEnumerable<SourcedIdentity> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var connection in await connections.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var groups = await GroupsAsync(connection.Id, cancellationToken).ConfigureAwait(false);
            for (var start = 1; ; start += PageSize)
            {
                var page = await store.QueryAsync(ScimResourceKind.User, connection.Id, new ResourceQuery(null, null, false, start, PageSize, IncludeRelations: true), cancellationToken)
                    .ConfigureAwait(false);
                foreach (var record in page.Resources)
                {
                    yield return ToIdentity(connection, record, groups);
                }

                if (page.Resources.Count < PageSize || start + PageSize > page.TotalResults)
                {
                    break;
                }
            }
        }
    }

    public async Task<SourcedIdentity?> GetAsync(Guid connectionId, string userId, CancellationToken cancellationToken)
    {
        var connection = (await connections.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Id == connectionId);
        if (connection is null || await store.GetAsync(ScimResourceKind.User, connectionId, userId, includeRelations: true, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        return ToIdentity(connection, record, await GroupsAsync(connectionId, cancellationToken).ConfigureAwait(false));
    }

    private async Task<Dictionary<string, IdentityGroup>> GroupsAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, IdentityGroup>(StringComparer.Ordinal);
        for (var start = 1; ; start += PageSize)
        {
            var page = await store.QueryAsync(ScimResourceKind.Group, connectionId, new ResourceQuery(null, null, false, start, PageSize, IncludeRelations: false), cancellationToken)
                .ConfigureAwait(false);
            foreach (var record in page.Resources)
            {
                groups[record.Id] = new IdentityGroup(record.Id, Text(record.Body, "displayName"), Text(record.Body, "externalId"));
            }

            if (page.Resources.Count < PageSize || start + PageSize > page.TotalResults)
            {
                return groups;
            }
        }
    }

    private static SourcedIdentity ToIdentity(IdpConnection connection, ResourceRecord record, Dictionary<string, IdentityGroup> groups)
    {
        var userName = Text(record.Body, "userName") ?? "";
        var active = record.Body["active"] is not JsonValue value || !value.TryGetValue<bool>(out var flag) || flag;
        var memberOf = (record.Groups ?? []).Select(g => groups.GetValueOrDefault(g.Value) ?? new IdentityGroup(g.Value, g.Display, null)).ToList();
        var identity = new PolicyIdentity(record.Id, connection.Name, userName, active, record.Body, memberOf);
        return new SourcedIdentity(connection.Id, identity, Emails(record.Body, userName));
    }

    /// <summary>Primary email first, then the others, then userName when it looks like one; lower-cased and distinct.</summary>
    public static IReadOnlyList<string> Emails(JsonObject body, string userName)
    {
        var emails = new List<string>();
        if (body["emails"] is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>().OrderByDescending(e => e["primary"] is JsonValue p && p.TryGetValue<bool>(out var primary) && primary))
            {
                if (Text(item, "value") is { Length: > 0 } email)
                {
                    emails.Add(email.ToLowerInvariant());
                }
            }
        }

        if (userName.Contains('@', StringComparison.Ordinal))
        {
            emails.Add(userName.ToLowerInvariant());
        }

        return [.. emails.Distinct(StringComparer.Ordinal)];
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
