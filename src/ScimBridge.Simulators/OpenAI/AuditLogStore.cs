using System.Text.Json;

namespace ScimBridge.Simulators.OpenAI;

/// <summary>An audit event as stored: its wire JSON untouched, plus the fields the list filters read.</summary>
internal sealed record AuditEntry(
    string Id,
    string Type,
    long EffectiveAt,
    string? ProjectId,
    string? ActorId,
    string? ActorEmail,
    string? ResourceId,
    JsonElement Json)
{
    /// <summary>Reads the filterable fields out of one AuditLog object; null when it lacks id, type or effective_at.</summary>
    public static AuditEntry? From(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object
            || Text(json, "id") is not { } id
            || Text(json, "type") is not { } type
            || !json.TryGetProperty("effective_at", out var at)
            || !at.TryGetInt64(out var effectiveAt))
        {
            return null;
        }

        var project = json.TryGetProperty("project", out var p) ? Text(p, "id") : null;
        string? actorId = null, actorEmail = null;
        if (json.TryGetProperty("actor", out var actor) && actor.ValueKind == JsonValueKind.Object)
        {
            if (actor.TryGetProperty("session", out var session) && session.TryGetProperty("user", out var user))
            {
                actorId = Text(user, "id");
                actorEmail = Text(user, "email");
            }
            else if (actor.TryGetProperty("api_key", out var key))
            {
                actorId = Text(key, "id");
                if (key.TryGetProperty("user", out var keyUser))
                {
                    actorEmail = Text(keyUser, "email");
                }
            }
        }

        // The event's payload sits under a property named after its type: {"type":"project.archived","project.archived":{"id":…}}.
        var resource = json.TryGetProperty(type, out var payload) ? Text(payload, "id") : null;
        return new AuditEntry(id, type, effectiveAt, project, actorId, actorEmail, resource, json.Clone());
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>
/// Audit events oldest first with an id index; the API lists newest first, so pages walk the list backwards. New events
/// (the simulator logs its own changes) are appended, which keeps them in order without shifting the list.
/// </summary>
internal sealed class AuditLogStore
{
    private readonly List<AuditEntry> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public IEnumerable<AuditEntry> Entries => _entries;

    public void Clear()
    {
        _entries.Clear();
        _index.Clear();
    }

    /// <summary>Loads events in any order (a seed), sorting them by effective_at.</summary>
    public void Load(IEnumerable<AuditEntry> entries)
    {
        Clear();
        _entries.AddRange(entries.OrderBy(e => e.EffectiveAt));
        for (var i = 0; i < _entries.Count; i++)
        {
            _index[_entries[i].Id] = i;
        }
    }

    public void Append(AuditEntry entry)
    {
        if (_entries.Count > 0 && _entries[^1].EffectiveAt > entry.EffectiveAt)
        {
            // Out of order (a test clock set back): insert in place and rebuild the index. Rare, so O(n) is fine.
            var position = _entries.FindLastIndex(e => e.EffectiveAt <= entry.EffectiveAt) + 1;
            _entries.Insert(position, entry);
            for (var i = position; i < _entries.Count; i++)
            {
                _index[_entries[i].Id] = i;
            }

            return;
        }

        _index[entry.Id] = _entries.Count;
        _entries.Add(entry);
    }

    /// <summary>A newest-first page after (older than) <paramref name="after"/> or before (newer than) <paramref name="before"/>; null for an unknown cursor.</summary>
    public (List<AuditEntry> Items, bool HasMore)? Page(string? after, string? before, int limit, Func<AuditEntry, bool> filter)
    {
        if (before is not null)
        {
            if (!_index.TryGetValue(before, out var b))
            {
                return null;
            }

            // The events just newer than the cursor, still answered newest first.
            var newer = new List<AuditEntry>();
            var more = false;
            for (var i = b + 1; i < _entries.Count; i++)
            {
                if (filter(_entries[i]))
                {
                    if (newer.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    newer.Add(_entries[i]);
                }
            }

            newer.Reverse();
            return (newer, more);
        }

        int start;
        if (after is null)
        {
            start = _entries.Count - 1;
        }
        else if (_index.TryGetValue(after, out var a))
        {
            start = a - 1;
        }
        else
        {
            return null;
        }

        var page = new List<AuditEntry>(Math.Min(limit, 128));
        for (var i = start; i >= 0; i--)
        {
            if (!filter(_entries[i]))
            {
                continue;
            }

            if (page.Count == limit)
            {
                return (page, true);
            }

            page.Add(_entries[i]);
        }

        return (page, false);
    }
}
