using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ScimBridge.Core.Connections;
using ScimBridge.Core.Policy;
using ScimBridge.Core.Storage;
using ScimBridge.Scim.Filtering;
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

    /// <param name="keepAttributes">
    /// The attribute paths the policy's conditions read (null: the whole body). A full pass holds every identity at
    /// once; keeping only what the policy looks at, instead of each SCIM body, is most of its memory.
    /// </param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public async IAsyncEnumerable<SourcedIdentity> ListAsync(IReadOnlyCollection<string>? keepAttributes, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                    var identity = ToIdentity(connection, record, groups);
                    yield return keepAttributes is null ? identity : identity with { Identity = identity.Identity with { Body = Slim(record.Body, keepAttributes) } };
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

        return ToIdentity(connection, record, await GroupsOfAsync(connectionId, record, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One identity by its connection's name and userName (compared as SCIM compares it), through the indexed filter.</summary>
    public async Task<SourcedIdentity?> FindAsync(string connectionName, string userName, CancellationToken cancellationToken)
    {
        if (await connections.FindByNameAsync(connectionName, cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return null;
        }

        var filter = FilterParser.Parse($"userName eq \"{userName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        var page = await store.QueryAsync(ScimResourceKind.User, connection.Id, new ResourceQuery(filter, null, false, 1, 1, IncludeRelations: true), cancellationToken).ConfigureAwait(false);
        return page.Resources.Count == 0
            ? null
            : ToIdentity(connection, page.Resources[0], await GroupsOfAsync(connection.Id, page.Resources[0], cancellationToken).ConfigureAwait(false));
    }

    // One identity needs only its own groups' displayName and externalId: read those few, not every group of the
    // connection (this runs once per SCIM change, on the propagation worker's path).
    private async Task<Dictionary<string, IdentityGroup>> GroupsOfAsync(Guid connectionId, ResourceRecord user, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, IdentityGroup>(StringComparer.Ordinal);
        foreach (var member in user.Groups ?? [])
        {
            if (await store.GetAsync(ScimResourceKind.Group, connectionId, member.Value, includeRelations: false, cancellationToken).ConfigureAwait(false) is { } group)
            {
                groups[group.Id] = new IdentityGroup(group.Id, Text(group.Body, "displayName"), Text(group.Body, "externalId"));
            }
        }

        return groups;
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

    // The same shape, with only the attributes named by the paths: "department" keeps a top-level department and the
    // enterprise extension's; a URN path keeps that extension's attribute; "name.givenName" keeps "name".
    private static JsonObject Slim(JsonObject body, IReadOnlyCollection<string> paths)
    {
        const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        var slim = new JsonObject();
        foreach (var path in paths)
        {
            var (schema, attribute) = path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
                ? (path[..path.LastIndexOf(':')], path[(path.LastIndexOf(':') + 1)..])
                : (null, path);
            var top = attribute.Split('.')[0];
            foreach (var (key, value) in body)
            {
                if (schema is null && string.Equals(key, top, StringComparison.OrdinalIgnoreCase) && !slim.ContainsKey(key))
                {
                    slim[key] = value?.DeepClone();
                }
                else if (string.Equals(key, schema ?? Enterprise, StringComparison.OrdinalIgnoreCase) && value is JsonObject extension)
                {
                    var kept = slim[key] as JsonObject ?? (JsonObject)(slim[key] = new JsonObject())!;
                    foreach (var (name, inner) in extension)
                    {
                        if (string.Equals(name, top, StringComparison.OrdinalIgnoreCase) && !kept.ContainsKey(name))
                        {
                            kept[name] = inner?.DeepClone();
                        }
                    }
                }
            }
        }

        return slim;
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
