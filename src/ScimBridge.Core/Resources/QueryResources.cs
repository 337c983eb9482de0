using System.Text.Json.Nodes;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using ScimBridge.Core.Storage;
using ScimBridge.Scim;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Projection;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Core.Resources;

/// <summary>GET /Users, GET /Groups and POST /.search (RFC 7644 §3.4.2, §3.4.3).</summary>
public sealed record QueryResources(
    ScimCaller Caller,
    ScimResourceKind Kind,
    string? Filter,
    string? SortBy,
    string? SortOrder,
    int? StartIndex,
    int? Count,
    string? Attributes,
    string? ExcludedAttributes) : IQuery<JsonObject>;

public sealed class QueryResourcesValidator : AbstractValidator<QueryResources>
{
    public QueryResourcesValidator() =>
        RuleFor(q => q.SortOrder)
            .Must(o => o is null || o.Equals("ascending", StringComparison.OrdinalIgnoreCase) || o.Equals("descending", StringComparison.OrdinalIgnoreCase))
            .WithMessage("sortOrder must be 'ascending' or 'descending'.");
}

public sealed class QueryResourcesHandler(IResourceStore store, IOptions<ScimOptions> options) : IQueryHandler<QueryResources, JsonObject>
{
    public async ValueTask<JsonObject> Handle(QueryResources query, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var schema = SchemaRegistry.Instance.For(query.Kind);
        var selection = AttributeSelection.Parse(schema, query.Attributes, query.ExcludedAttributes);

        // RFC 7644 §3.4.2.4: 1-based; below 1 is read as 1; a negative count as 0; above maxResults is capped.
        var startIndex = Math.Max(1, query.StartIndex ?? 1);
        var count = Math.Clamp(query.Count ?? limits.DefaultCount, 0, limits.MaxResults);

        var storeQuery = new ResourceQuery(
            string.IsNullOrWhiteSpace(query.Filter) ? null : FilterParser.Parse(query.Filter),
            string.IsNullOrWhiteSpace(query.SortBy) ? null : AttributePath.Parse(query.SortBy.Trim()),
            string.Equals(query.SortOrder, "descending", StringComparison.OrdinalIgnoreCase),
            startIndex,
            count,
            ResourceResponses.NeedsRelations(query.Kind, selection));
        var page = await store.QueryAsync(query.Kind, query.Caller.ConnectionId, storeQuery, cancellationToken);

        var resources = new JsonArray();
        foreach (var record in page.Resources)
        {
            resources.Add(selection.Apply(ResourceRepresentation.Compose(record, query.Caller.BaseUrl)));
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.ListResponseSchema),
            ["totalResults"] = page.TotalResults,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = resources.Count,
            ["Resources"] = resources,
        };
    }
}
