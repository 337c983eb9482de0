using System.ComponentModel.DataAnnotations;
using ScimBridge.Platforms.Http;

namespace ScimBridge.Platforms.Scim;

/// <summary>
/// A downstream SCIM 2.0 app (ChatGPT Enterprise, Claude Enterprise, Cursor…) that ScimBridge provisions as a SCIM
/// client. <see cref="PlatformTargetOptions.BaseUrl"/> is the app's SCIM root (…/scim/v2) and
/// <see cref="PlatformTargetOptions.ApiKey"/> its bearer token. What the app accepts beyond RFC 7644 is a named
/// <see cref="Dialect"/>, and each of its switches can be overridden one by one.
/// </summary>
public sealed class ScimTargetOptions : PlatformTargetOptions
{
    public ScimDialect Dialect { get; set; } = ScimDialect.Rfc7644;

    public ScimDeprovisionMode? DeprovisionMode { get; set; }

    /// <summary>
    /// False for a target without filtering (ServiceProviderConfig <c>filter.supported:false</c>): lookups by userName
    /// or displayName then scan the listing. Filter results are checked either way, since some targets ignore the
    /// filter and return everything (Metatavu/keycloak-scim-server#46).
    /// </summary>
    public bool? SupportsFilter { get; set; }

    /// <summary>The most the target returns per page (its <c>filter.maxResults</c>); <c>count</c> is clamped to it.</summary>
    [Range(1, 1000)]
    public int? MaxPageSize { get; set; }

    public ScimMemberRemoval? MemberRemoval { get; set; }

    /// <summary>RFC 7644 §3.5.2 requires <c>schemas</c> in a PatchOp; false only for a target that rejects it.</summary>
    public bool? PatchOpSchemas { get; set; }

    /// <summary>Deactivate with <c>{"op":"replace","value":{"active":false}}</c> instead of <c>path:"active"</c>.</summary>
    public bool? DeactivateWithoutPath { get; set; }

    /// <summary>The dialect's switches with this target's overrides applied.</summary>
    public ScimQuirks Quirks()
    {
        var preset = ScimQuirks.For(Dialect);
        return preset with
        {
            DeprovisionMode = DeprovisionMode ?? preset.DeprovisionMode,
            SupportsFilter = SupportsFilter ?? preset.SupportsFilter,
            MaxPageSize = MaxPageSize ?? preset.MaxPageSize,
            MemberRemoval = MemberRemoval ?? preset.MemberRemoval,
            PatchOpSchemas = PatchOpSchemas ?? preset.PatchOpSchemas,
            DeactivateWithoutPath = DeactivateWithoutPath ?? preset.DeactivateWithoutPath,
        };
    }
}

/// <summary>
/// Which IdP's way of speaking SCIM the target app was built and certified against. Apps are tested with the requests
/// Entra or Okta really send (../shared/docs/idp-clients.md §2), so a client that copies those shapes is accepted by
/// the apps that reject the RFC's other equally valid forms.
/// </summary>
public enum ScimDialect
{
    /// <summary>RFC 7644 as written: DELETE to deprovision, <c>members[value eq "…"]</c> to remove a member.</summary>
    Rfc7644,

    /// <summary>
    /// Speaks like Entra's provisioning service without <c>aadOptscim062020</c>: disables with
    /// <c>replace active=false</c> and never hard-deletes on unassign (E9), removes a member with
    /// <c>path:"members"</c> and a value array (E22).
    /// </summary>
    EntraCompatible,

    /// <summary>
    /// Speaks like Okta: never DELETEs a user (O12) but deactivates with the no-path
    /// <c>{"op":"replace","value":{"active":false}}</c> (O10; sentry PR#27199 accepts only that form), removes a
    /// member with <c>members[value eq "…"]</c> (O16).
    /// </summary>
    OktaCompatible,
}

public enum ScimDeprovisionMode
{
    /// <summary>DELETE /Users/{id} (RFC 7644 §3.6).</summary>
    Delete,

    /// <summary>PATCH active=false: the account stays, suspended, as Entra and Okta leave it.</summary>
    Deactivate,
}

public enum ScimMemberRemoval
{
    /// <summary><c>{"op":"remove","path":"members[value eq \"u1\"]"}</c>, RFC 7644 §3.5.2.2's own example.</summary>
    FilterPath,

    /// <summary>
    /// <c>{"op":"remove","path":"members","value":[{"value":"u1"}]}</c>. Read literally the RFC removes every member
    /// for this; only targets known to treat it as "only u1" (Entra-built apps, E22) get it.
    /// </summary>
    ValueArray,
}

/// <summary>The named switches one target's SCIM client runs with.</summary>
public sealed record ScimQuirks(
    ScimDeprovisionMode DeprovisionMode,
    bool SupportsFilter,
    int? MaxPageSize,
    ScimMemberRemoval MemberRemoval,
    bool PatchOpSchemas,
    bool DeactivateWithoutPath)
{
    public static ScimQuirks For(ScimDialect dialect) => dialect switch
    {
        // RFC 7644 §3.5.2 requires the PatchOp schema; every dialect sends it unless a target says otherwise.
        ScimDialect.Rfc7644 => new(ScimDeprovisionMode.Delete, SupportsFilter: true, MaxPageSize: null, ScimMemberRemoval.FilterPath, PatchOpSchemas: true, DeactivateWithoutPath: false),
        ScimDialect.EntraCompatible => new(ScimDeprovisionMode.Deactivate, SupportsFilter: true, MaxPageSize: null, ScimMemberRemoval.ValueArray, PatchOpSchemas: true, DeactivateWithoutPath: false),
        ScimDialect.OktaCompatible => new(ScimDeprovisionMode.Deactivate, SupportsFilter: true, MaxPageSize: null, ScimMemberRemoval.FilterPath, PatchOpSchemas: true, DeactivateWithoutPath: true),
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown SCIM dialect."),
    };
}
