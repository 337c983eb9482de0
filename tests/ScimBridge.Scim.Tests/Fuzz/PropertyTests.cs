using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Patching;
using ScimBridge.Scim.Projection;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;
using static ScimBridge.Scim.Tests.Samples;

namespace ScimBridge.Scim.Tests.Fuzz;

/// <summary>
/// Whatever a client sends, the protocol layer answers with a SCIM error or a result, never another exception;
/// a failed PATCH changes nothing; a successful one yields a body in stored form.
/// </summary>
public sealed class PropertyTests
{
    private static readonly string[] NeverStored = ["id", "meta", "schemas", "groups", "password", "members"];

    [Property(MaxTest = 2000)]
    public Property FilterParser_RandomAndMutatedFilters_ThrowOnlyInvalidFilter() =>
        Prop.ForAll(Generators.FilterText, text =>
        {
            try
            {
                FilterParser.Parse(text);
            }
            catch (ScimException e) when (e.ScimType == ScimType.InvalidFilter)
            {
            }
        });

    [Property(MaxTest = 2000)]
    public Property PatchPath_RandomAndMutatedPaths_ThrowOnlyInvalidPath() =>
        Prop.ForAll(Generators.PathText, text =>
        {
            try
            {
                PatchPath.Parse(text);
            }
            catch (ScimException e) when (e.ScimType == ScimType.InvalidPath)
            {
            }
        });

    [Property(MaxTest = 1000)]
    public Property FilterEvaluator_AnyParsableFilter_NeverThrows() =>
        Prop.ForAll(Generators.FilterText, text =>
        {
            FilterNode filter;
            try
            {
                filter = FilterParser.Parse(text);
            }
            catch (ScimException)
            {
                return;
            }

            var emails = User.Resolve(new AttributePath(null, "emails", null))!.Attribute;
            foreach (var element in StoredUser()["emails"]!.AsArray())
            {
                FilterEvaluator.Matches(filter, element!.AsObject(), emails);
            }

        });

    [Property(MaxTest = 1000)]
    public Property AttributeSelection_AnyNames_NeverThrows() =>
        Prop.ForAll(Generators.PathText, Generators.PathText, (attributes, excluded) =>
        {
            var representation = StoredUser();
            representation["id"] = UserId;
            var result = AttributeSelection.Parse(User, attributes, null).Apply(representation);
            Assert.Equal(UserId, (string?)result["id"]);
            AttributeSelection.Parse(User, null, excluded).Apply(representation);
            AttributeSelection.Parse(Group, attributes, excluded).Includes(attributes);
        });

    [Property(MaxTest = 3000)]
    public Property PatchUser_RandomBodies_ThrowOnlyScimExceptionAndAreAtomic() =>
        Prop.ForAll(Generators.PatchBody, Generators.DialectKind, (body, kind) =>
        {
            var dialect = IdpDialect.ForKind(kind);
            var stored = StoredUser();
            var before = stored.ToJsonString();
            try
            {
                var operations = PatchRequest.Parse(JsonNode.Parse(body), dialect);
                var operationsBefore = Serialize(operations);
                var result = PatchApplier.Apply(User, stored, operations, UserId, dialect);
                AssertStoredForm(User, result, dialect);
                Assert.Equal(operationsBefore, Serialize(operations));
            }
            catch (ScimException e)
            {
                Assert.Equal(400, e.Status);
                Assert.NotNull(e.ScimType);
            }

            Assert.Equal(before, stored.ToJsonString());
        });

    [Property(MaxTest = 2000)]
    public Property PatchGroup_RandomBodies_ThrowOnlyScimExceptionAndAreAtomic() =>
        Prop.ForAll(Generators.PatchBody, Generators.DialectKind, (body, kind) =>
        {
            var dialect = IdpDialect.ForKind(kind);
            var stored = StoredGroup();
            var before = stored.ToJsonString();
            try
            {
                var operations = PatchRequest.Parse(JsonNode.Parse(body), dialect);
                var (attributes, members) = GroupMemberPatch.Split(operations, dialect);
                Assert.DoesNotContain(attributes, IsMembersOperation);
                var result = PatchApplier.Apply(Group, stored, attributes, GroupId, dialect);
                AssertStoredForm(Group, result, dialect);
            }
            catch (ScimException e)
            {
                Assert.Equal(400, e.Status);
            }

            Assert.Equal(before, stored.ToJsonString());
        });

    [Property(MaxTest = 1000)]
    public Property Normalize_RandomBodies_ThrowOnlyInvalidValueAndYieldStoredForm() =>
        Prop.ForAll(Generators.PatchBody, Generators.DialectKind, (body, kind) =>
        {
            // Use the random operation values as resource bodies: they are shaped like attribute maps.
            var dialect = IdpDialect.ForKind(kind);
            var values = JsonNode.Parse(body) is JsonObject { } message && message["Operations"] is JsonArray operations
                ? operations.OfType<JsonObject>().Select(o => o["value"]).OfType<JsonObject>().ToList()
                : [];
            foreach (var value in values)
            {
                var input = value.DeepClone().AsObject();
                input["userName"] = "u";
                var before = input.ToJsonString();
                try
                {
                    AssertStoredForm(User, ResourceNormalizer.Normalize(User, input, dialect), dialect);
                }
                catch (ScimException e) when (e.ScimType == ScimType.InvalidValue)
                {
                }

                Assert.Equal(before, input.ToJsonString());
            }
        });

    [Property(MaxTest = 300)]
    public Property Apply_FailingOperationAfterValidOnes_LeavesInputUnchanged() =>
        Prop.ForAll(Generators.PatchBody, body =>
        {
            // Append an operation that always fails: the whole PATCH must fail and change nothing.
            if (JsonNode.Parse(body) is not JsonObject { } message || message["Operations"] is not JsonArray operations)
            {
                return;
            }

            operations.Add(JsonNode.Parse("""{"op":"replace","path":"emails[type eq \"never\"].value","value":"x"}"""));
            var stored = StoredUser();
            var before = stored.ToJsonString();
            Assert.Throws<ScimException>(() =>
                PatchApplier.Apply(User, stored, PatchRequest.Parse(message, IdpDialect.Okta), UserId, IdpDialect.Okta));
            Assert.Equal(before, stored.ToJsonString());
        });

    private static string Serialize(IReadOnlyList<PatchOperation> operations) =>
        string.Join("\n", operations.Select(o => $"{o.Op} {o.Path} {o.Value?.ToJsonString()}"));

    private static bool IsMembersOperation(PatchOperation operation) =>
        operation.Path is { } path && AttributePath.Parse(path.Split('[')[0]).Name.Equals("members", StringComparison.OrdinalIgnoreCase);

    /// <summary>The stored-form contract: canonical, no server-owned keys, no nulls or empties, and a fixed point.</summary>
    private static void AssertStoredForm(ResourceSchema schema, JsonObject body, IdpDialect dialect)
    {
        foreach (var key in NeverStored)
        {
            Assert.False(body.ContainsKey(key), $"'{key}' must not be stored: {body.ToJsonString()}");
        }

        AssertNoEmpties(body);
        var again = ResourceNormalizer.Normalize(schema, body, dialect);
        Assert.True(JsonNode.DeepEquals(again, body), $"Not a fixed point:\n{body.ToJsonString()}\n{again.ToJsonString()}");
    }

    private static void AssertNoEmpties(JsonNode? node)
    {
        switch (node)
        {
            case null:
                Assert.Fail("A null is stored.");
                break;
            case JsonObject obj:
                Assert.NotEmpty(obj);
                foreach (var (_, value) in obj)
                {
                    AssertNoEmpties(value);
                }

                break;
            case JsonArray array:
                Assert.NotEmpty(array);
                foreach (var value in array)
                {
                    AssertNoEmpties(value);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.NotEqual(string.Empty, value.GetValue<string>());
                break;
        }
    }
}
