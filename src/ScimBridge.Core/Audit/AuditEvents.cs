using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimBridge.Core.Audit;

/// <summary>
/// Builds each kind of audit event. None takes a request body or a credential; platform objects (before and after) pass
/// through <see cref="Redact"/>, which replaces the values of secret-named properties, because an issued key is
/// exactly what a platform change may carry. <c>Occurred</c> is left for the audit log's clock.
/// </summary>
public static class AuditEvents
{
    private const string Redacted = "[redacted]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A request to /scim/v2 by an IdP connection (or an unauthenticated caller, with no connection).</summary>
    public static AuditEvent ScimRequest(
        string? connection, string? dialect, string method, string path, string? resourceType, string? resourceId, string action, int status, string? requestId)
    {
        // On every SCIM request, reads included: written straight to UTF-8 rather than through a JsonObject.
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("method", method);
            writer.WriteString("path", path);
            writer.WriteNumber("status", status);
            if (dialect is not null)
            {
                writer.WriteString("dialect", dialect);
            }

            writer.WriteEndObject();
        }

        return new(default, AuditKinds.ScimRequest, null, connection, null, resourceType, resourceId, action, OutcomeOf(status), requestId,
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>A change ScimBridge made (or tried) on a platform target during reconciliation run <paramref name="runId"/>.</summary>
    public static AuditEvent PlatformChange(
        string target, string objectType, string? objectId, string action, object? before, object? after, string result, Guid? runId,
        string? detail = null) =>
        new(default, AuditKinds.PlatformChange, "scimbridge", null, target, objectType, objectId, action, result, null,
            Details(new JsonObject
            {
                ["runId"] = runId?.ToString(),
                ["before"] = Redact(ToNode(before)),
                ["after"] = Redact(ToNode(after)),
                ["detail"] = detail,
            }));

    /// <summary>A reconciliation run of one target: its trigger (scim, schedule, operator, cli), mode, status and counts.</summary>
    public static AuditEvent ReconcileRun(Guid runId, string target, string trigger, bool dryRun, string status, IReadOnlyDictionary<string, int>? counts) =>
        new(default, AuditKinds.ReconcileRun, trigger, null, target, "run", runId.ToString(), dryRun ? "dry-run" : "apply", status, null,
            Details(new JsonObject
            {
                ["trigger"] = trigger,
                ["dryRun"] = dryRun,
                ["counts"] = counts is null ? null : new JsonObject(counts.OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            }));

    /// <summary>A change an operator asked for through /admin (every non-GET call) or the CLI.</summary>
    public static AuditEvent OperatorAction(string actor, string method, string path, int status, string? requestId, string? resourceType = null, string? resourceId = null) =>
        new(default, AuditKinds.OperatorAction, actor, null, null, resourceType, resourceId, $"{method} {path}", OutcomeOf(status), requestId,
            Details(new JsonObject { ["method"] = method, ["path"] = path, ["status"] = status }));

    /// <summary>Retention removed the events up to <paramref name="throughSequence"/>.</summary>
    public static AuditEvent Pruned(int deleted, long throughSequence, int retentionDays) =>
        new(default, AuditKinds.AuditPruned, "retention", null, null, null, null, "prune", "success", null,
            Details(new JsonObject { ["deleted"] = deleted, ["throughSequence"] = throughSequence, ["retentionDays"] = retentionDays }));

    /// <summary>success below 400; denied for 401/403; failure for other 4xx (nothing changed); error for 5xx.</summary>
    public static string OutcomeOf(int status) => status switch
    {
        < 400 => "success",
        401 or 403 => "denied",
        < 500 => "failure",
        _ => "error",
    };

    /// <summary>Replaces the values of properties whose names say they hold a secret, at any depth.</summary>
    public static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretName(name))
                    {
                        obj[name] = obj[name] is null ? null : Redacted;
                    }
                    else
                    {
                        Redact(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Redact(item);
                }

                break;
        }

        return node;
    }

    // Deliberately broad: a false positive hides a harmless field from the trail, a false negative leaks a key. The
    // adapters' issued-credential objects name the secret "key", "api_key" or "secret"; SCIM bodies "password".
    private static bool IsSecretName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower is "key" or "authorization"
            || lower.Contains("password", StringComparison.Ordinal)
            || lower.Contains("secret", StringComparison.Ordinal)
            || lower.Contains("token", StringComparison.Ordinal)
            || lower.Contains("apikey", StringComparison.Ordinal)
            || lower.Contains("api_key", StringComparison.Ordinal)
            || lower.Contains("credential", StringComparison.Ordinal);
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string text => JsonValue.Create(text),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Json),
    };

    private static string Details(JsonObject details)
    {
        // Nulls are left out so an event says only what it knows.
        foreach (var name in details.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            details.Remove(name);
        }

        return details.ToJsonString();
    }
}
