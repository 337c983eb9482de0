using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Patching;

/// <summary>A change to a Group's membership, applied to the member table rather than to the stored body.</summary>
public abstract record MemberChange;

/// <summary>Adding a member who is already there is a successful no-op (idp-clients.md E21).</summary>
public sealed record AddMembers(IReadOnlyList<MemberRef> Members) : MemberChange;

public sealed record RemoveMembers(IReadOnlyList<string> Values) : MemberChange;

/// <summary>
/// Removes the members matching a value filter whose attribute names are relative to a member (value, type, display,
/// $ref), e.g. <c>members[display eq "x"]</c>. The store compiles it to SQL over its member table (FilterToSql.MemberWhere):
/// value, type and display are supported there.
/// </summary>
public sealed record RemoveMembersWhere(FilterNode Filter) : MemberChange;

/// <summary>Replaces the whole membership; an empty list clears it (Okta O17).</summary>
public sealed record ReplaceMembers(IReadOnlyList<MemberRef> Members) : MemberChange;
