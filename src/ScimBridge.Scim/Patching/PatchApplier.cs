using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Dialects;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Schemas;

namespace ScimBridge.Scim.Patching;

/// <summary>
/// Applies PATCH operations (RFC 7644 §3.5.2) to a stored body. Operations run in order on a copy, so a failing
/// operation leaves the caller's body untouched and the PATCH is atomic. Values go through the same normaliser as
/// POST/PUT bodies, and the result is re-normalised, so it is always in stored form.
/// </summary>
public static class PatchApplier
{
    public static JsonObject Apply(
        ResourceSchema schema, JsonObject stored, IReadOnlyList<PatchOperation> operations, string resourceId, IdpDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(dialect);

        var body = stored.DeepClone().AsObject();
        var context = new Context(schema, body, resourceId, dialect);
        foreach (var operation in operations)
        {
            ArgumentNullException.ThrowIfNull(operation);
            context.Apply(operation);
        }

        var result = ResourceNormalizer.Restore(schema, body, dialect);
        StoredBody.RequireAttributes(schema, result);
        return result;
    }

    /// <summary>
    /// A resolved target. <see cref="Sub"/> is the sub-attribute written inside the attribute (<c>name.familyName</c>)
    /// or inside each element the <see cref="Filter"/> selects (<c>emails[type eq "work"].value</c>).
    /// </summary>
    private sealed record Target(AttributeDefinition Attribute, AttributeDefinition? Sub, FilterNode? Filter, string Text);

    private sealed class Context(ResourceSchema schema, JsonObject body, string resourceId, IdpDialect dialect)
    {
        public void Apply(PatchOperation operation)
        {
            if (operation.Path is null)
            {
                ApplyNoPath(operation.Op, operation.Value);
            }
            else
            {
                ApplyPath(operation.Op, operation.Path, operation.Value);
            }
        }

        private void ApplyNoPath(PatchOperationType op, JsonNode? value)
        {
            if (op == PatchOperationType.Remove)
            {
                throw ScimException.NoTarget("remove needs a 'path' (RFC 7644 §3.5.2.2).");
            }

            if (value is not JsonObject attributes)
            {
                throw ScimException.InvalidValue(
                    "Without a 'path', 'value' must be an object of the attributes to " + (op == PatchOperationType.Add ? "add." : "replace."));
            }

            ApplyAttributes(op, attributes);
        }

        /// <summary>
        /// A no-path value object. Keys may be plain ("displayName"), dotted ("name.givenName") or URN-qualified,
        /// as Entra sends with aadOptscim062020 (idp-clients.md E11), or an extension URN holding an object.
        /// Unknown keys are ignored, as in a POST body.
        /// </summary>
        private void ApplyAttributes(PatchOperationType op, JsonObject attributes)
        {
            foreach (var (key, value) in attributes)
            {
                if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (schema.CanonicalExtensionUrn(key) is { } urn)
                {
                    ApplyExtension(op, urn, value);
                }
                else if (key.Equals(schema.CoreSchemaUrn, StringComparison.OrdinalIgnoreCase) && value is JsonObject core)
                {
                    ApplyAttributes(op, core);
                }
                else if (schema.Resolve(AttributePath.Parse(key)) is { } resolved)
                {
                    ApplyTarget(op, new Target(resolved.Attribute, resolved.Sub, null, key), value);
                }
            }
        }

        private void ApplyPath(PatchOperationType op, string text, JsonNode? value)
        {
            var path = PatchPath.Parse(text);
            var attribute = path.Attribute;
            if (path.ValueFilter is null && attribute is { SchemaUrn: { } prefix, SubAttribute: null }
                && schema.CanonicalExtensionUrn($"{prefix}:{attribute.Name}") is { } urn)
            {
                ApplyExtension(op, urn, value);
                return;
            }

            var resolved = schema.Resolve(attribute)
                ?? throw ScimException.InvalidPath($"Path '{text}': '{attribute}' is not an attribute of a {schema.Kind}.");
            if (path.ValueFilter is not { } filter)
            {
                ApplyTarget(op, new Target(resolved.Attribute, resolved.Sub, null, text), value);
                return;
            }

            if (!resolved.Attribute.MultiValued || !resolved.Attribute.IsComplex)
            {
                throw ScimException.InvalidPath($"Path '{text}': a value filter needs a multi-valued complex attribute.");
            }

            FilterEvaluator.Validate(filter, resolved.Attribute, text);
            AttributeDefinition? sub = null;
            if (path.SubAttribute is { } subName)
            {
                sub = resolved.Attribute.FindSubAttribute(subName)
                    ?? throw ScimException.InvalidPath($"Path '{text}': '{resolved.Attribute.Name}' has no sub-attribute '{subName}'.");
            }

            ApplyTarget(op, new Target(resolved.Attribute, sub, filter, text), value);
        }

        /// <summary>A path or key that is exactly an extension URN: the value holds that extension's attributes.</summary>
        private void ApplyExtension(PatchOperationType op, string urn, JsonNode? value)
        {
            if (op == PatchOperationType.Remove || (op == PatchOperationType.Replace && ValueNormalizer.IsEmpty(value)))
            {
                body.Remove(urn);
                return;
            }

            if (ValueNormalizer.IsEmpty(value))
            {
                return;
            }

            if (value is not JsonObject attributes)
            {
                throw ScimException.InvalidValue($"'{urn}' must be given an object of the extension's attributes.");
            }

            foreach (var (key, attributeValue) in attributes)
            {
                var local = AttributePath.Parse(key);
                var path = local.SchemaUrn is null ? new AttributePath(urn, local.Name, local.SubAttribute) : local;
                if (schema.Resolve(path) is { } resolved)
                {
                    ApplyTarget(op, new Target(resolved.Attribute, resolved.Sub, null, path.ToString()), attributeValue);
                }
            }
        }

        private void ApplyTarget(PatchOperationType op, Target target, JsonNode? value)
        {
            var attribute = target.Attribute;
            if (!CheckMutability(op, target, value))
            {
                return;
            }

            if (target.Filter is not null)
            {
                ApplyFiltered(op, target, value);
            }
            else if (attribute.MultiValued)
            {
                if (target.Sub is { } sub)
                {
                    ApplyEverySub(op, target, sub, value);
                }
                else
                {
                    ApplyMultiValued(op, target, value);
                }
            }
            else if (attribute.IsComplex)
            {
                if (target.Sub is { } sub)
                {
                    ApplyComplexSub(op, target, sub, value);
                }
                else
                {
                    ApplyComplex(op, target, value);
                }
            }
            else if (op == PatchOperationType.Remove)
            {
                StoredBody.Remove(schema, body, attribute);
            }
            else
            {
                StoredBody.Set(schema, body, attribute, ValueNormalizer.Attribute(attribute, value, dialect, target.Text));
            }
        }

        /// <summary>False when the operation is accepted but changes nothing (schemas, password, Okta's own id).</summary>
        private bool CheckMutability(PatchOperationType op, Target target, JsonNode? value)
        {
            var attribute = target.Attribute;
            if (schema.Kind == ScimResourceKind.Group && attribute.Name.Equals("members", StringComparison.Ordinal))
            {
                throw ScimException.InvalidPath(
                    $"Path '{target.Text}': group members are changed through GroupMemberPatch, not the attribute applier.");
            }

            if (ReferenceEquals(attribute, CommonAttributes.Schemas))
            {
                // The host composes "schemas" from the stored extensions; a client's value has nothing to change.
                return false;
            }

            if (ReferenceEquals(attribute, CommonAttributes.Id))
            {
                // O15 (see IdpDialect.IgnoresOwnIdInPatchValue).
                if (op != PatchOperationType.Remove && target.Sub is null && dialect.IgnoresOwnIdInPatchValue
                    && ValueNormalizer.TryGetString(value, out var id) && id.Equals(resourceId, StringComparison.Ordinal))
                {
                    return false;
                }

                throw ScimException.Mutability("'id' is readOnly: it is assigned by the service provider.");
            }

            if (attribute.Mutability == Mutability.ReadOnly || target.Sub?.Mutability == Mutability.ReadOnly)
            {
                throw ScimException.Mutability($"'{target.Text}' is readOnly.");
            }

            if (attribute.Mutability == Mutability.WriteOnly)
            {
                // password: accepted and never stored (RFC 7643 §4.1.1, returned "never").
                return false;
            }

            if (attribute.Mutability == Mutability.Immutable && StoredBody.Get(schema, body, attribute) is not null)
            {
                throw ScimException.Mutability($"'{target.Text}' is immutable once set.");
            }

            return true;
        }

        private void ApplyComplex(PatchOperationType op, Target target, JsonNode? value)
        {
            var attribute = target.Attribute;
            if (op == PatchOperationType.Remove)
            {
                StoredBody.Remove(schema, body, attribute);
                return;
            }

            if (value is JsonObject obj)
            {
                // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes not given are left unchanged; {"value":""} clears one
                // (Entra's manager removal, idp-clients.md E13).
                var current = StoredBody.Get(schema, body, attribute) as JsonObject ?? [];
                ValueNormalizer.MergeInto(current, ValueNormalizer.SubAttributeChanges(attribute, obj, dialect, target.Text));
                StoredBody.Set(schema, body, attribute, current);
                return;
            }

            // "", null, or the manager shorthand of E13: the whole value is replaced.
            StoredBody.Set(schema, body, attribute, ValueNormalizer.Single(attribute, value, dialect, target.Text));
        }

        private void ApplyComplexSub(PatchOperationType op, Target target, AttributeDefinition sub, JsonNode? value)
        {
            var current = StoredBody.Get(schema, body, target.Attribute) as JsonObject ?? [];
            SetOrRemove(current, sub, op == PatchOperationType.Remove ? null : ValueNormalizer.Single(sub, value, dialect, target.Text));
            StoredBody.Set(schema, body, target.Attribute, current);
        }

        private void ApplyMultiValued(PatchOperationType op, Target target, JsonNode? value)
        {
            var attribute = target.Attribute;
            switch (op)
            {
                case PatchOperationType.Remove when !ValueNormalizer.IsEmpty(value) && dialect.RemoveWithValueRemovesOnlyThoseValues:
                    RemoveListedValues(target, value);
                    break;
                case PatchOperationType.Remove:
                    StoredBody.Remove(schema, body, attribute);
                    break;
                case PatchOperationType.Replace:
                    StoredBody.Set(schema, body, attribute, ValueNormalizer.Attribute(attribute, value, dialect, target.Text));
                    break;
                case PatchOperationType.Add:
                    if (ValueNormalizer.Attribute(attribute, value, dialect, target.Text) is not JsonArray added)
                    {
                        return;
                    }

                    // RFC 7644 §3.5.2.1: adding a value that is already there does not duplicate it.
                    var current = Elements(attribute);
                    var touched = new List<JsonNode>();
                    foreach (var element in added)
                    {
                        if (element is not null && !current.Any(existing => JsonNode.DeepEquals(existing, element)))
                        {
                            var copy = element.DeepClone();
                            current.Add(copy);
                            touched.Add(copy);
                        }
                    }

                    KeepOnePrimary(current, touched);
                    StoredBody.Set(schema, body, attribute, current);
                    break;
            }
        }

        /// <summary>E22 (see IdpDialect.RemoveWithValueRemovesOnlyThoseValues), for any multi-valued attribute.</summary>
        private void RemoveListedValues(Target target, JsonNode? value)
        {
            var attribute = target.Attribute;
            if (ValueNormalizer.Attribute(attribute, value, dialect, target.Text) is not JsonArray listed)
            {
                return;
            }

            var current = Elements(attribute);
            foreach (var element in current.ToList())
            {
                if (listed.Any(given => Covers(attribute, given, element)))
                {
                    current.Remove(element);
                }
            }

            StoredBody.Set(schema, body, attribute, current);
        }

        /// <summary><c>emails.value</c> without a filter: every element's sub-attribute.</summary>
        private void ApplyEverySub(PatchOperationType op, Target target, AttributeDefinition sub, JsonNode? value)
        {
            var current = Elements(target.Attribute);
            var newValue = op == PatchOperationType.Remove ? null : ValueNormalizer.Single(sub, value, dialect, target.Text);
            if (current.Count == 0 && newValue is not null)
            {
                // RFC 7644 §3.5.2.3: a replace of something that does not exist is treated as an add.
                current.Add(new JsonObject { [sub.Name] = newValue });
            }

            foreach (var element in current.OfType<JsonObject>())
            {
                SetOrRemove(element, sub, newValue);
            }

            StoredBody.Set(schema, body, target.Attribute, WithoutEmptyElements(current));
        }

        private void ApplyFiltered(PatchOperationType op, Target target, JsonNode? value)
        {
            var attribute = target.Attribute;
            var filter = target.Filter!;
            var current = Elements(attribute);
            var matches = current.OfType<JsonObject>().Where(e => FilterEvaluator.Matches(filter, e, attribute)).ToList();
            var touched = new List<JsonNode>();

            if (op == PatchOperationType.Remove)
            {
                // RFC 7644 §3.5.2.2 allows noTarget here; removing nothing is success instead, because the goal
                // state (no such value) already holds and IdPs retry failed removals forever.
                foreach (var match in matches)
                {
                    if (target.Sub is { } removed)
                    {
                        match.Remove(removed.Name);
                    }
                    else
                    {
                        current.Remove(match);
                    }
                }
            }
            else if (target.Sub is { } sub)
            {
                var newValue = ValueNormalizer.Single(sub, value, dialect, target.Text);
                if (matches.Count == 0 && newValue is not null)
                {
                    var created = CreateForUnmatchedFilter(op, target);
                    created[sub.Name] = newValue;
                    current.Add(created);
                    touched.Add(created);
                }

                foreach (var match in matches)
                {
                    SetOrRemove(match, sub, newValue);
                    touched.Add(match);
                }
            }
            else
            {
                ApplyFilteredElements(op, target, value, current, matches, touched);
            }

            KeepOnePrimary(current, touched);
            StoredBody.Set(schema, body, attribute, WithoutEmptyElements(current));
        }

        private void ApplyFilteredElements(
            PatchOperationType op, Target target, JsonNode? value, JsonArray current, List<JsonObject> matches, List<JsonNode> touched)
        {
            var attribute = target.Attribute;
            if (ValueNormalizer.IsEmpty(value))
            {
                // E14: replacing with "" or null clears what the filter selects.
                if (op == PatchOperationType.Replace)
                {
                    matches.ForEach(match => current.Remove(match));
                }

                return;
            }

            if (value is JsonArray { Count: 1 } single)
            {
                value = single[0];
            }

            var element = ValueNormalizer.Single(attribute, value, dialect, target.Text) as JsonObject ?? [];
            if (matches.Count == 0)
            {
                var created = CreateForUnmatchedFilter(op, target);
                ValueNormalizer.MergeInto(created, element);
                current.Add(created);
                touched.Add(created);
                return;
            }

            foreach (var match in matches)
            {
                if (op == PatchOperationType.Add)
                {
                    ValueNormalizer.MergeInto(match, element);
                    touched.Add(match);
                    continue;
                }

                // RFC 7644 §3.5.2.3: matching values are replaced. The filter's eq terms are kept so that
                // replace emails[type eq "work"] with {"value":…} still leaves a work email.
                var replacement = Seed(target.Filter!, attribute) ?? [];
                ValueNormalizer.MergeInto(replacement, element);
                current[current.IndexOf(match)] = replacement;
                touched.Add(replacement);
            }
        }

        /// <summary>
        /// An add through an unmatched valuePath creates the element. A replace does so only for Entra (E7, see
        /// IdpDialect.UpsertOnUnmatchedValuePathReplace); RFC 7644 §3.5.2.3 says noTarget.
        /// </summary>
        private JsonObject CreateForUnmatchedFilter(PatchOperationType op, Target target)
        {
            if (op == PatchOperationType.Replace && !dialect.UpsertOnUnmatchedValuePathReplace)
            {
                throw ScimException.NoTarget($"Path '{target.Text}' matches no value.");
            }

            return Seed(target.Filter!, target.Attribute)
                ?? throw ScimException.NoTarget(
                    $"Path '{target.Text}' matches no value, and its filter does not say what to create (only 'eq' terms joined by 'and' do).");
        }

        /// <summary>The element a filter of eq terms joined by and describes: <c>type eq "work"</c> → {"type":"work"}.</summary>
        private JsonObject? Seed(FilterNode filter, AttributeDefinition attribute)
        {
            var seed = new JsonObject();
            return Collect(filter) ? seed : null;

            bool Collect(FilterNode node)
            {
                switch (node)
                {
                    case AndNode and:
                        return Collect(and.Left) && Collect(and.Right);
                    case CompareNode { Operator: CompareOperator.Eq } compare
                        when ResourceSchema.ResolveRelative(attribute, compare.Path) is { } sub:
                        var literal = Literal(compare.Value, sub);
                        if (literal is null)
                        {
                            return false;
                        }

                        seed[sub.Name] = ValueNormalizer.Single(sub, literal, dialect, $"{attribute.Name}.{sub.Name}");
                        return true;
                    default:
                        return false;
                }
            }
        }

        private static JsonValue? Literal(FilterValue value, AttributeDefinition sub) => value.Kind switch
        {
            FilterValueKind.String => JsonValue.Create(value.Text),
            FilterValueKind.Boolean => JsonValue.Create(value.Boolean),
            FilterValueKind.Number when sub.Type is AttributeType.Integer or AttributeType.Decimal => JsonValue.Create(value.Number),
            FilterValueKind.Number => JsonValue.Create(value.Text),
            _ => null,
        };

        private JsonArray Elements(AttributeDefinition attribute) =>
            StoredBody.Get(schema, body, attribute) as JsonArray ?? [];

        /// <summary>True when every sub-attribute of <paramref name="given"/> equals the element's (caseExact as defined).</summary>
        private static bool Covers(AttributeDefinition attribute, JsonNode? given, JsonNode? element)
        {
            if (given is not JsonObject wanted || element is not JsonObject actual)
            {
                return JsonNode.DeepEquals(given, element);
            }

            foreach (var (key, wantedValue) in wanted)
            {
                var actualValue = StoredBody.Property(actual, key);
                var caseExact = attribute.FindSubAttribute(key)?.CaseExact ?? false;
                var equal = ValueNormalizer.TryGetString(wantedValue, out var a) && ValueNormalizer.TryGetString(actualValue, out var b)
                    ? string.Equals(a, b, caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)
                    : JsonNode.DeepEquals(wantedValue, actualValue);
                if (!equal)
                {
                    return false;
                }
            }

            return true;
        }

        private static void SetOrRemove(JsonObject target, AttributeDefinition sub, JsonNode? value)
        {
            if (value is null)
            {
                target.Remove(sub.Name);
            }
            else
            {
                target[sub.Name] = value.DeepClone();
            }
        }

        /// <summary>
        /// RFC 7644 §3.5.2: setting "primary" to true on a value sets it to false on every other value
        /// (RFC 7643 §2.4: at most one primary).
        /// </summary>
        private static void KeepOnePrimary(JsonArray elements, List<JsonNode> touched)
        {
            var winner = touched.LastOrDefault(IsPrimary);
            if (winner is null)
            {
                return;
            }

            foreach (var element in elements.OfType<JsonObject>())
            {
                if (!ReferenceEquals(element, winner) && IsPrimary(element))
                {
                    element["primary"] = false;
                }
            }
        }

        private static bool IsPrimary(JsonNode? element) =>
            element is JsonObject obj && obj["primary"] is JsonValue primary && primary.GetValueKind() == JsonValueKind.True;

        private static JsonArray WithoutEmptyElements(JsonArray elements)
        {
            foreach (var element in elements.ToList())
            {
                if (ValueNormalizer.IsEmpty(element))
                {
                    elements.Remove(element);
                }
            }

            return elements;
        }
    }
}
