using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Schemas;

/// <summary>
/// The schemas, resource types and service provider configuration, read once from the JSON files in
/// scim-schemas/ (embedded into this assembly). The same files drive discovery responses and attribute
/// semantics (caseExact, mutability, returned), so what /Schemas says is what the server does.
/// </summary>
public sealed class SchemaRegistry
{
    private readonly Dictionary<string, JsonObject> _schemaDocuments;

    private SchemaRegistry()
    {
        _schemaDocuments = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { "User.json", "Group.json", "EnterpriseUser.json" })
        {
            var document = LoadObject(file);
            _schemaDocuments[(string)document["id"]!] = document;
        }

        ResourceTypeDocuments = [.. LoadArray("ResourceTypes.json").Select(n => n!.AsObject())];
        ServiceProviderConfigDocument = LoadObject("ServiceProviderConfig.json");

        User = BuildResource(ScimResourceKind.User, "User");
        Group = BuildResource(ScimResourceKind.Group, "Group");
    }

    public static SchemaRegistry Instance { get; } = new();

    public ResourceSchema User { get; }

    public ResourceSchema Group { get; }

    public IReadOnlyCollection<JsonObject> SchemaDocuments => _schemaDocuments.Values;

    public IReadOnlyList<JsonObject> ResourceTypeDocuments { get; }

    public JsonObject ServiceProviderConfigDocument { get; }

    public ResourceSchema For(ScimResourceKind kind) => kind == ScimResourceKind.User ? User : Group;

    public JsonObject? FindSchemaDocument(string urn) => _schemaDocuments.GetValueOrDefault(urn);

    private ResourceSchema BuildResource(ScimResourceKind kind, string resourceTypeId)
    {
        var resourceType = ResourceTypeDocuments.Single(r => (string?)r["id"] == resourceTypeId);
        var coreUrn = (string)resourceType["schema"]!;
        var extensions = new Dictionary<string, IReadOnlyList<AttributeDefinition>>();
        foreach (var extension in resourceType["schemaExtensions"]!.AsArray())
        {
            var urn = (string)extension!["schema"]!;
            extensions[urn] = ReadAttributes(_schemaDocuments[urn]["attributes"]!.AsArray(), urn);
        }

        return new ResourceSchema(
            kind,
            (string)resourceType["endpoint"]!,
            coreUrn,
            ReadAttributes(_schemaDocuments[coreUrn]["attributes"]!.AsArray(), coreUrn),
            extensions);
    }

    private static List<AttributeDefinition> ReadAttributes(JsonArray attributes, string urn) =>
        [.. attributes.Select(a => ReadAttribute(a!.AsObject(), urn))];

    private static AttributeDefinition ReadAttribute(JsonObject json, string urn) => new()
    {
        Name = (string)json["name"]!,
        Type = Enum.Parse<AttributeType>((string)json["type"]!, ignoreCase: true),
        MultiValued = (bool?)json["multiValued"] ?? false,
        Required = (bool?)json["required"] ?? false,
        CaseExact = (bool?)json["caseExact"] ?? false,
        Mutability = Enum.Parse<Mutability>((string?)json["mutability"] ?? "readWrite", ignoreCase: true),
        Returned = Enum.Parse<Returned>((string?)json["returned"] ?? "default", ignoreCase: true),
        SchemaUrn = urn,
        SubAttributes = json["subAttributes"] is JsonArray subs ? ReadAttributes(subs, urn) : [],
    };

    private static JsonObject LoadObject(string file) => Load(file).AsObject();

    private static JsonArray LoadArray(string file) => Load(file).AsArray();

    private static JsonNode Load(string file)
    {
        var name = "ScimBridge.Schemas." + file;
        using var stream = typeof(SchemaRegistry).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded schema file {name} is missing.");
        return JsonNode.Parse(stream) ?? throw new InvalidOperationException($"Schema file {file} is empty.");
    }
}
