using System.Text.Json.Nodes;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Storage;

/// <summary>A stored User or Group: the canonical body (see ResourceNormalizer) plus what the server owns.</summary>
public sealed record ResourceRecord(
    ScimResourceKind Kind,
    string Id,
    Guid ConnectionId,
    JsonObject Body,
    long Version,
    DateTimeOffset Created,
    DateTimeOffset LastModified)
{
    /// <summary>Group members (with display names), when the caller asked for them.</summary>
    public IReadOnlyList<StoredMember>? Members { get; init; }

    /// <summary>The groups a User directly belongs to (the readOnly "groups" attribute), when asked for.</summary>
    public IReadOnlyList<StoredMember>? Groups { get; init; }
}

/// <summary>A member of a group, or a group of a user: id, resource type ("User"/"Group") and display name.</summary>
public sealed record StoredMember(string Value, string Type, string? Display);

public sealed record ResourceQuery(
    FilterNode? Filter,
    AttributePath? SortBy,
    bool Descending,
    int StartIndex,
    int Count,
    bool IncludeRelations);

public sealed record ResourcePage(int TotalResults, IReadOnlyList<ResourceRecord> Resources);

/// <summary>The result of a conditional write: the new record, or why it did not happen.</summary>
public enum WriteOutcome
{
    Written,
    NotFound,
    VersionMismatch,
}

/// <summary>
/// The SCIM store. Implementations compile filters to parameterised SQL (never an in-memory scan), enforce
/// uniqueness with constraints (throwing ScimException uniqueness), and check the expected version atomically with
/// the write it guards (SQLite: inside the single writer's transaction; a multi-writer backend: in the UPDATE).
/// </summary>
public interface IResourceStore
{
    Task<ResourceRecord?> GetAsync(ScimResourceKind kind, Guid connectionId, string id, bool includeRelations, CancellationToken cancellationToken);

    Task<ResourcePage> QueryAsync(ScimResourceKind kind, Guid connectionId, ResourceQuery query, CancellationToken cancellationToken);

    /// <summary>Inserts a resource (and a group's members, which must exist in the same connection).</summary>
    Task CreateAsync(ResourceRecord record, IReadOnlyList<MemberRef>? members, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a new body (when not null) and applies member changes in one transaction, bumping the version.
    /// With expectedVersion, the write happens only if the stored version still equals it.
    /// </summary>
    Task<(WriteOutcome Outcome, ResourceRecord? Record)> UpdateAsync(
        ScimResourceKind kind,
        Guid connectionId,
        string id,
        JsonObject? body,
        IReadOnlyList<MemberChange> memberChanges,
        long? expectedVersion,
        DateTimeOffset now,
        CancellationToken cancellationToken);

    Task<WriteOutcome> DeleteAsync(ScimResourceKind kind, Guid connectionId, string id, long? expectedVersion, CancellationToken cancellationToken);
}
