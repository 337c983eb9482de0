namespace ScimBridge.Core.IdentityProviders;

/// <summary>The ways what the IdP says and what its SCIM pushes left here can disagree.</summary>
public enum FindingKind
{
    /// <summary>The IdP assigns an enabled user that never arrived here.</summary>
    UserNotReceived,

    /// <summary>A user is active here that the IdP no longer assigns to the app.</summary>
    UserNoLongerAssigned,

    /// <summary>The IdP has the user disabled (Entra accountEnabled false, Okta suspended/deactivated); it is active here.</summary>
    DisabledInIdpActiveHere,

    /// <summary>The IdP assigns a group that never arrived here.</summary>
    GroupNotReceived,

    /// <summary>A group is here that the IdP no longer assigns (reported only: a repair never deletes a group).</summary>
    GroupNoLongerAssigned,

    /// <summary>The IdP has the user in an assigned group; the group here lacks that member.</summary>
    MembershipNotReceived,

    /// <summary>The group here has a member that the IdP's group no longer has.</summary>
    MembershipNoLongerAssigned,
}

/// <summary>One disagreement, with the ids on both sides that exist (an IdP id, a SCIM id, or both).</summary>
public sealed record IdpFinding(
    FindingKind Kind,
    string? IdpUserId = null,
    string? UserName = null,
    string? ScimUserId = null,
    string? IdpGroupId = null,
    string? GroupName = null,
    string? ScimGroupId = null);

/// <summary>
/// The pure comparison of the IdP's view with the SCIM store. Users are matched by SCIM externalId equal to the IdP's
/// object id, else by userName equal to the IdP's user name (Entra's default mapping sends userPrincipalName as
/// userName and mailNickname as externalId; Okta sends its user id as externalId and the login as userName); groups by
/// externalId equal to the IdP group id (Entra's default sends objectId), else by displayName (Okta pushes only that).
/// Both comparisons ignore case, as SCIM's userName and displayName uniqueness does.
/// </summary>
public static class IdpComparison
{
    public static IReadOnlyList<IdpFinding> Compare(IdpView idp, ScimView scim)
    {
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(scim);
        var findings = new List<IdpFinding>();
        var usersByExternalId = Index(scim.Users.Where(u => u.ExternalId is not null), u => u.ExternalId!);
        var usersByName = Index(scim.Users, u => u.UserName);

        // IdP user id -> the SCIM user it arrived as.
        var matchedUsers = new Dictionary<string, ScimUserEntry>(StringComparer.Ordinal);
        foreach (var user in idp.Users.Values.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase))
        {
            var scimUser = usersByExternalId.GetValueOrDefault(user.Id) ?? usersByName.GetValueOrDefault(user.UserName);
            if (scimUser is null)
            {
                // A disabled user that never arrived is what the IdP would leave anyway: nothing to report.
                if (user.Enabled)
                {
                    findings.Add(new IdpFinding(FindingKind.UserNotReceived, user.Id, user.UserName));
                }

                continue;
            }

            matchedUsers[user.Id] = scimUser;
            if (!user.Enabled && scimUser.Active)
            {
                findings.Add(new IdpFinding(FindingKind.DisabledInIdpActiveHere, user.Id, user.UserName, scimUser.Id));
            }
        }

        var matchedScimUserIds = matchedUsers.Values.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var user in scim.Users.Where(u => u.Active && !matchedScimUserIds.Contains(u.Id)).OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase))
        {
            findings.Add(new IdpFinding(FindingKind.UserNoLongerAssigned, null, user.UserName, user.Id));
        }

        var groupsByExternalId = Index(scim.Groups.Where(g => g.ExternalId is not null), g => g.ExternalId!);
        var groupsByName = Index(scim.Groups, g => g.DisplayName);
        var matchedGroupIds = new HashSet<string>(StringComparer.Ordinal);
        var scimUsersById = scim.Users.ToDictionary(u => u.Id, StringComparer.Ordinal);
        foreach (var group in idp.Groups.Values.OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            var scimGroup = groupsByExternalId.GetValueOrDefault(group.Id) ?? groupsByName.GetValueOrDefault(group.DisplayName);
            if (scimGroup is null)
            {
                findings.Add(new IdpFinding(FindingKind.GroupNotReceived, IdpGroupId: group.Id, GroupName: group.DisplayName));

                // Its memberships never arrived either; listed so a repair can add them once the group exists.
                foreach (var memberId in group.MemberIds)
                {
                    if (idp.Users.GetValueOrDefault(memberId) is { } member && (member.Enabled || matchedUsers.ContainsKey(memberId)))
                    {
                        findings.Add(new IdpFinding(
                            FindingKind.MembershipNotReceived, memberId, member.UserName, matchedUsers.GetValueOrDefault(memberId)?.Id, group.Id, group.DisplayName));
                    }
                }

                continue;
            }

            matchedGroupIds.Add(scimGroup.Id);
            var present = scimGroup.MemberIds.ToHashSet(StringComparer.Ordinal);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var memberId in group.MemberIds)
            {
                var member = idp.Users.GetValueOrDefault(memberId);
                if (matchedUsers.TryGetValue(memberId, out var scimUser))
                {
                    expected.Add(scimUser.Id);
                    if (!present.Contains(scimUser.Id))
                    {
                        findings.Add(new IdpFinding(FindingKind.MembershipNotReceived, memberId, member?.UserName, scimUser.Id, group.Id, group.DisplayName, scimGroup.Id));
                    }
                }
                else if (member is { Enabled: true })
                {
                    // The user itself never arrived (reported above); its membership did not either.
                    findings.Add(new IdpFinding(FindingKind.MembershipNotReceived, memberId, member.UserName, null, group.Id, group.DisplayName, scimGroup.Id));
                }
            }

            foreach (var memberId in scimGroup.MemberIds.Where(m => !expected.Contains(m)))
            {
                findings.Add(new IdpFinding(
                    FindingKind.MembershipNoLongerAssigned, null, scimUsersById.GetValueOrDefault(memberId)?.UserName, memberId, group.Id, group.DisplayName, scimGroup.Id));
            }
        }

        foreach (var group in scim.Groups.Where(g => !matchedGroupIds.Contains(g.Id)).OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            findings.Add(new IdpFinding(FindingKind.GroupNoLongerAssigned, GroupName: group.DisplayName, ScimGroupId: group.Id));
        }

        return findings;
    }

    // The first of duplicates wins: SCIM keeps userName and displayName unique per connection; externalId may repeat.
    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var index = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            index.TryAdd(key(item), item);
        }

        return index;
    }
}
