using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace ScimBridge.Scim.Tests.Fuzz;

/// <summary>Generators for filters, paths and PATCH bodies: valid seeds, random mutations of them, and noise.</summary>
internal static class Generators
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public static readonly string[] ValidFilters =
    [
        "userName eq \"bjensen\"",
        "a eq 1 or b eq 2 and c eq 3",
        "not (active eq true)",
        "title pr",
        "meta.lastModified gt \"2024-01-01T00:00:00Z\"",
        "emails[type eq \"work\" and value ew \"@x.com\"]",
        Enterprise + ":department eq \"Eng\"",
        "name.familyName eq \"x\" and (emails.value co \"a\" or emails.value co \"b\")",
        "externalId eq jyoung",
        "userName Eq \"a\\\"b\\u00e9\"",
        "members[value eq \"u1\"]",
        "x ge -1.5e3 and y le null",
    ];

    public static readonly string[] ValidPaths =
    [
        "userName", "active", "nickName", "title", "displayName", "externalId", "password", "schemas", "id", "meta",
        "meta.created", "groups", "name", "name.givenName", "name.familyName", "emails", "emails.value", "emails.primary",
        "emails[type eq \"work\"]", "emails[type eq \"work\"].value", "emails[type eq \"work\" and value ew \"@example.com\"].display",
        "emails[primary eq true]", "emails[not (type eq \"home\")]", "phoneNumbers[type eq \"mobile\"].value", "roles",
        "roles[value eq \"r\"]", "addresses[type eq \"work\"].locality", "x509Certificates", "manager", "manager.value",
        Enterprise, Enterprise + ":employeeNumber", Enterprise + ":manager", Enterprise + ":manager.value",
        "members", "members[value eq \"u1\"]", "members[display co \"a\"]", "members.value", "unknownAttr",
        "emails[colour eq \"x\"]", "name[givenName eq \"x\"]",
    ];

    private static readonly string[] TypedPaths =
    [
        "nickName", "title", "displayName", "externalId", "name.givenName", "name.familyName", "emails.value",
        "emails[type eq \"work\"].value", "emails[type eq \"home\"].display", "phoneNumbers[type eq \"mobile\"].value",
        "addresses[type eq \"work\"].locality", Enterprise + ":employeeNumber", Enterprise + ":manager.value",
        "active", "emails.primary", "emails[type eq \"home\"].primary", "name", "emails", "roles", "phoneNumbers",
        "emails[type eq \"work\"]", "emails[value ew \".org\"]", "manager", Enterprise + ":manager", Enterprise,
    ];

    private static readonly string[] Keys =
    [
        "userName", "USERNAME", "active", "emails", "name", "name.givenName", "value", "Value", "type", "primary", "display",
        "id", "meta", "groups", "members", "schemas", "password", "$ref", "manager", "department", "displayName", "roles",
        Enterprise, Enterprise + ":employeeNumber", Enterprise + ":manager", "op", "path", "Operations", "foo", "",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "x", "u1", "work", "home", "True", "false", "null", "a@b", "2024-01-01T00:00:00Z", "M", "{\"id\":\"1\"}",
        "\u0000", "é", "[", "]", "\"", "2819c223-7f76-453a-919d-413861904646", "e9e30dba-f08f-4109-8486-d5c6a331660a",
    ];

    private static readonly char[] Alphabet =
        "abceqnotrpwsl AND OR ()[]\".\\:$_-01239eEuU,/{}\t\né".ToCharArray();

    /// <summary>Random text from an alphabet that hits the tokenizer's special characters often.</summary>
    public static Gen<string> Noise { get; } =
        Gen.ArrayOf(Gen.Elements(Alphabet)).Select(chars => new string(chars));

    public static Arbitrary<string> FilterText { get; } =
        Gen.Frequency(
            (2, Noise), (3, Gen.Elements(ValidFilters).SelectMany(Mutations)), (1, Gen.Elements(ValidFilters)), (1, NonNullStrings()))
        .ToArbitrary();

    public static Arbitrary<string> PathText { get; } =
        Gen.Frequency((2, Noise), (3, Gen.Elements(ValidPaths).SelectMany(Mutations)), (1, NonNullStrings())).ToArbitrary();

    /// <summary>Mostly PATCH-shaped bodies with random ops, paths and values; sometimes arbitrary JSON.</summary>
    public static Arbitrary<string> PatchBody { get; } =
        Gen.Frequency(
            (4, PatchOpBody(ValidOperation())),
            (3, PatchOpBody(NoisyOperation())),
            (1, Json(4).Select(n => n?.ToJsonString() ?? "null"))).ToArbitrary();

    public static Arbitrary<string> DialectKind { get; } = Gen.Elements("entra", "okta", "generic").ToArbitrary();

    /// <summary>One to four random edits: delete, insert, truncate, duplicate, swap or replace a character.</summary>
    public static Gen<string> Mutations(string seed) =>
        Gen.Choose(1, 4).SelectMany(count => Mutate(seed, count));

    private static Gen<string> Mutate(string text, int count)
    {
        if (count == 0)
        {
            return Gen.Constant(text);
        }

        var edit =
            from kind in Gen.Choose(0, 5)
            from position in Gen.Choose(0, text.Length)
            from c in Gen.Elements(Alphabet)
            from length in Gen.Choose(1, 6)
            select Edit(text, kind, position, c, length);
        return edit.SelectMany(edited => Mutate(edited, count - 1));
    }

    private static string Edit(string text, int kind, int position, char c, int length)
    {
        var atEnd = position >= text.Length;
        return kind switch
        {
            0 when !atEnd => text.Remove(position, 1),
            1 => text.Insert(position, c.ToString()),
            2 => text[..position],
            3 when !atEnd => text.Insert(position, text.Substring(position, Math.Min(length, text.Length - position))),
            4 when position + 1 < text.Length => string.Concat(text.AsSpan(0, position), text[position + 1].ToString(), text[position].ToString(), text.AsSpan(position + 2)),
            5 when !atEnd => string.Concat(text.AsSpan(0, position), c.ToString(), text.AsSpan(position + 1)),
            _ => text + c,
        };
    }

    private static Gen<string> NonNullStrings() =>
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null);

    private static Gen<string> PatchOpBody(Gen<JsonObject> operation) =>
        from operations in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(operation, n))
        from schemas in Gen.Elements(true, true, false)
        select Body(operations, schemas);

    /// <summary>Well-formed operations with values of the type the path expects, so that many PATCHes succeed.</summary>
    private static Gen<JsonObject> ValidOperation() =>
        from path in Gen.Frequency((7, Gen.Elements(TypedPaths).Select(p => (string?)p)), (3, Gen.Constant<string?>(null)))
        from op in path is null ? Gen.Elements("add", "Replace") : Gen.Elements("add", "Replace", "Replace", "remove")
        from value in path is null ? AttributeMap() : TypedValue(path)
        select Operation(op, path, op != "remove", value);

    private static Gen<JsonNode?> Text() =>
        Gen.Elements("x", "u1", "Eng", "a@b.com", "+1 555", "").Select(t => (JsonNode?)JsonValue.Create(t));

    private static Gen<JsonNode?> Bool() =>
        Gen.OneOf(
            Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Elements("True", "False").Select(b => (JsonNode?)JsonValue.Create(b)));

    private static Gen<JsonNode?> TypedElement() =>
        from value in Gen.Elements("x@a.org", "y@b.com", "u1", "")
        from type in Gen.Elements("work", "home", "other", "mobile")
        from primary in Gen.Elements<bool?>(true, false, null)
        select (JsonNode?)Element(value, type, primary);

    private static Gen<JsonNode?> TypedElements() =>
        Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(TypedElement(), n)).Select(items => (JsonNode?)new JsonArray(items));

    private static Gen<JsonNode?> TypedValue(string path) =>
        path switch
        {
            "active" or "emails.primary" => Bool(),
            _ when path.EndsWith(".primary", StringComparison.Ordinal) => Bool(),
            "name" => Gen.Elements("Kim", "").Select(g => (JsonNode?)new JsonObject { ["givenName"] = g }),
            "manager" or Enterprise + ":manager" => Gen.OneOf(
                Text(), Text().Select(t => (JsonNode?)new JsonObject { ["value"] = t?.DeepClone() })),
            Enterprise => Text().Select(t => (JsonNode?)new JsonObject { ["department"] = t }),
            _ when path.Contains('[', StringComparison.Ordinal) && !path.EndsWith(']') => Text(),
            _ when path.Contains('[', StringComparison.Ordinal) => TypedElement(),
            "emails" or "roles" or "phoneNumbers" => Gen.OneOf(TypedElements(), TypedElement()),
            _ => Text(),
        };

    /// <summary>A no-path value: some attributes, possibly dotted or URN-qualified, each of the right type.</summary>
    private static Gen<JsonNode?> AttributeMap() =>
        Gen.Choose(1, 3)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements(TypedPaths.Where(p => !p.Contains('[', StringComparison.Ordinal)).ToArray()), n))
            .SelectMany(keys => Gen.CollectToArray(keys, key => TypedValue(key).Select(value => (key, value))))
            .Select(pairs =>
            {
                var result = new JsonObject();
                foreach (var (key, value) in pairs)
                {
                    result[key] = value;
                }

                return (JsonNode?)result;
            });

    private static Gen<JsonObject> NoisyOperation()
    {
        var op = Gen.Frequency(
            (15, Gen.Elements<string?>("add", "Add", "ADD", "replace", "Replace", "remove", "Remove")),
            (1, Gen.Elements<string?>("merge", "", null)));
        var path = Gen.Frequency(
            (6, Gen.Elements(ValidPaths).Select(p => (string?)p)),
            (1, Gen.Elements(ValidPaths).SelectMany(Mutations).Select(p => (string?)p)),
            (3, Gen.Constant<string?>(null)));
        return
            from o in op
            from p in path
            from hasValue in Gen.Frequency((8, Gen.Constant(true)), (1, Gen.Constant(false)))
            from value in Gen.Frequency((2, Json(3)), (3, Plausible()))
            select Operation(o, p, hasValue, value);
    }

    private static JsonObject Operation(string? op, string? path, bool hasValue, JsonNode? value)
    {
        var operation = new JsonObject();
        if (op is not null)
        {
            operation["op"] = op;
        }

        if (path is not null)
        {
            operation["path"] = path;
        }

        if (hasValue)
        {
            operation["value"] = value;
        }

        return operation;
    }

    private static string Body(JsonObject[] operations, bool withSchemas)
    {
        var body = new JsonObject();
        if (withSchemas)
        {
            body["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        }

        body["Operations"] = new JsonArray([.. operations]);
        return body.ToJsonString();
    }

    /// <summary>Values of the shapes attributes really take: strings, booleans, elements and attribute maps.</summary>
    private static Gen<JsonNode?> Plausible()
    {
        var text = Gen.Elements("x", "u1", "work", "home", "True", "False", "a@b.com", "M", "Eng", "");
        var scalar = Gen.OneOf(
            text.Select(t => (JsonNode?)JsonValue.Create(t)),
            Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)));
        var element =
            from value in text
            from type in Gen.Elements("work", "home", "other", "mobile")
            from primary in Gen.Elements<bool?>(true, false, null)
            select (JsonNode?)Element(value, type, primary);
        var elements = Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(element, n)).Select(items => (JsonNode?)new JsonArray(items));
        var attributes = Gen.Choose(1, 3)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements(Keys).Zip(Gen.OneOf(scalar, element, elements)), n))
            .Select(pairs =>
            {
                var result = new JsonObject();
                foreach (var (key, value) in pairs)
                {
                    result[key] = value;
                }

                return (JsonNode?)result;
            });
        return Gen.OneOf(scalar, element, elements, attributes);
    }

    private static JsonObject Element(string value, string type, bool? primary)
    {
        var element = new JsonObject { ["value"] = value, ["type"] = type };
        if (primary is { } p)
        {
            element["primary"] = p;
        }

        return element;
    }

    /// <summary>Random JSON. Nodes are built inside Select, so every sample gets fresh (unparented) nodes.</summary>
    private static Gen<JsonNode?> Json(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Constant(0).Select(_ => (JsonNode?)null),
            Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Choose(-3, 1000).Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Elements(Strings).Select(s => (JsonNode?)JsonValue.Create(s)));
        if (depth <= 0)
        {
            return leaf;
        }

        var child = Json(depth - 1);
        var array = Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(child, n)).Select(items => (JsonNode?)new JsonArray(items));
        var obj = Gen.Choose(0, 4)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements(Keys).Zip(child), n))
            .Select(pairs =>
            {
                var result = new JsonObject();
                foreach (var (key, value) in pairs)
                {
                    result[key] = value;
                }

                return (JsonNode?)result;
            });
        return Gen.Frequency((3, leaf), (1, array), (2, obj));
    }
}
