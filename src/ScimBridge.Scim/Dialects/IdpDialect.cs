namespace ScimBridge.Scim.Dialects;

/// <summary>
/// What one kind of identity provider sends that RFC 7644 does not say, as named switches. The core PATCH and body
/// code is RFC 7644 plus leniency that can never change the meaning of a valid request, for every dialect:
/// case-insensitive <c>op</c>, attribute names and "Operations" key; "True"/"False" strings for boolean attributes
/// (Entra without aadOptscim062020, [C] in ../shared/docs/idp-clients.md §2 E9); an empty Operations list is a no-op
/// (scimmy#59, better-auth#8549); dotted and URN-qualified keys in a no-path value (E11); a bare string as a group
/// member (AzureAD/SCIMReferenceCode#24); readOnly attributes, <c>password</c> and <c>groups:[]</c> in a POST/PUT body
/// are ignored, as RFC 7644 §3.5.1 requires (Okta O5, O11).
///
/// Quirks (E/O numbers are the rows of idp-clients.md §2):
/// <list type="bullet">
/// <item><see cref="UpsertOnUnmatchedValuePathReplace"/> (E7): Entra only, because it contradicts RFC 7644 §3.5.2.3.</item>
/// <item><see cref="RemoveWithValueRemovesOnlyThoseValues"/> (E22): every dialect (see why on the property).</item>
/// <item><see cref="AcceptsManagerShorthand"/> (E13): Entra and Generic.</item>
/// <item><see cref="IgnoresOwnIdInPatchValue"/> (O15): Okta and Generic.</item>
/// <item>E15, stringified JSON in <c>roles[].value</c>: needs no switch. roles.value is a string attribute and is
/// stored verbatim, never parsed, so all three shapes of E15 round-trip (tested in the golden tests).</item>
/// </list>
/// Generic is RFC 7644 plus every quirk that does not contradict it, so a client that copies Entra's or Okta's shapes
/// still works; it keeps RFC noTarget for an unmatched valuePath replace.
/// </summary>
public sealed class IdpDialect
{
    private IdpDialect(
        string name,
        bool upsertOnUnmatchedValuePathReplace,
        bool removeWithValueRemovesOnlyThoseValues,
        bool acceptsManagerShorthand,
        bool ignoresOwnIdInPatchValue)
    {
        Name = name;
        UpsertOnUnmatchedValuePathReplace = upsertOnUnmatchedValuePathReplace;
        RemoveWithValueRemovesOnlyThoseValues = removeWithValueRemovesOnlyThoseValues;
        AcceptsManagerShorthand = acceptsManagerShorthand;
        IgnoresOwnIdInPatchValue = ignoresOwnIdInPatchValue;
    }

    public static IdpDialect Entra { get; } = new("entra", true, true, true, false);

    public static IdpDialect Okta { get; } = new("okta", false, true, false, true);

    public static IdpDialect Generic { get; } = new("generic", false, true, true, true);

    public string Name { get; }

    /// <summary>
    /// E7: Entra sends <c>replace emails[type eq "work"].value</c> for a user who has no work email and expects the
    /// email to be created; RFC 7644 §3.5.2.3 says noTarget. The new element is seeded from the filter's
    /// <c>eq</c> terms (better-auth PR#10682; Entra "use-scim-to-provision-users-and-groups" [T]).
    /// </summary>
    public bool UpsertOnUnmatchedValuePathReplace { get; }

    /// <summary>
    /// E22: without <c>?aadOptscim062020</c> Entra removes a member with
    /// <c>{"op":"Remove","path":"members","value":[{"value":"u1"}]}</c> and means "only u1"; read literally the RFC
    /// removes every member, the bug of SCIMReferenceCode#10, azure-docs#30826 and SCIM-SDK#167
    /// (Entra "application-provisioning-config-problem-scim-compatibility" [C]). Also applies to other multi-valued
    /// attributes (<c>remove emails</c> with a value removes the matching emails). Okta never sends a value with remove
    /// (it uses <c>members[value eq …]</c>, O16), but it is on for Okta too: a request that names the members it
    /// removes must never empty the whole group.
    /// </summary>
    public bool RemoveWithValueRemovesOnlyThoseValues { get; }

    /// <summary>
    /// E13: Entra gives the enterprise <c>manager</c> as <c>"M"</c>, as <c>[{"value":"M","$ref":…}]</c>, or clears it
    /// with <c>""</c> or <c>{"value":""}</c> (directory-scimple#1242, SCIM-SDK#114). It is always stored in the
    /// complex form <c>{"value":"M"}</c>; emitting anything else breaks Entra with ServiceIncompatible (Budibase#15369).
    /// </summary>
    public bool AcceptsManagerShorthand { get; }

    /// <summary>
    /// O15: Okta renames a group with <c>{"op":"replace","value":{"id":"&lt;gid&gt;","displayName":"new"}}</c> and
    /// re-sends it with every membership push; an <c>id</c> equal to the resource's own is ignored instead of being
    /// a mutability error (jelhub/scimgateway#112; Okta SCIM 2.0 guide [O]).
    /// </summary>
    public bool IgnoresOwnIdInPatchValue { get; }

    public static IdpDialect ForKind(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Trim().ToUpperInvariant() switch
        {
            "ENTRA" => Entra,
            "OKTA" => Okta,
            "GENERIC" => Generic,
            _ => throw new ArgumentException($"Unknown IdP kind '{kind}'; expected entra, okta or generic.", nameof(kind)),
        };
    }

    public override string ToString() => Name;
}
