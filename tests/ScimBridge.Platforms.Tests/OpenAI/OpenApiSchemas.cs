using System.Text.Json;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>
/// Checks a JSON answer against a schema of OpenAI's spec (Recorded/openai/openai-admin.schemas.json): required
/// properties, JSON types, nullability (<c>anyOf … null</c>) and enums, following <c>$ref</c>, <c>anyOf</c> and
/// <c>allOf</c>. Extra properties are allowed, as the spec allows them. Enough to catch a renamed, missing or
/// mistyped field in the simulator.
/// </summary>
internal static class OpenApiSchemas
{
    private static readonly Lazy<JsonElement> Schemas = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", "openai", "openai-admin.schemas.json")));
        return document.RootElement.GetProperty("schemas").Clone();
    });

    public static IReadOnlyList<string> Check(JsonElement value, string schemaName)
    {
        var problems = new List<string>();
        Check(value, Schemas.Value.GetProperty(schemaName), "$", problems);
        return problems;
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(value, Schemas.Value.GetProperty(reference.GetString()!.Split('/')[^1]), path, problems);
            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            // Passes if one alternative passes; otherwise report the alternative that got furthest.
            List<string>? best = null;
            foreach (var alternative in anyOf.EnumerateArray())
            {
                var attempt = new List<string>();
                Check(value, alternative, path, attempt);
                if (attempt.Count == 0)
                {
                    return;
                }

                if (best is null || attempt.Count < best.Count)
                {
                    best = attempt;
                }
            }

            problems.AddRange(best ?? []);
            return;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Check(value, part, path, problems);
            }
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            var nullable = (schema.TryGetProperty("nullable", out var n) && n.GetBoolean())
                || (schema.TryGetProperty("type", out var t) && t.GetString() == "null");
            if (!nullable)
            {
                problems.Add($"{path}: null where the spec does not allow it");
            }

            return;
        }

        if (schema.TryGetProperty("type", out var type) && !Matches(value, type.GetString()!))
        {
            problems.Add($"{path}: {value.ValueKind} where the spec says {type.GetString()}");
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && value.ValueKind == JsonValueKind.String
            && !values.EnumerateArray().Any(v => v.GetString() == value.GetString()))
        {
            problems.Add($"{path}: '{value.GetString()}' is not one of the spec's values");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        problems.Add($"{path}: required '{name}' missing");
                    }
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out var child))
                    {
                        Check(child, property.Value, $"{path}.{property.Name}", problems);
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, $"{path}[{i++}]", problems);
            }
        }
    }

    private static bool Matches(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
