using ScimBridge.Core.IdentityProviders;

namespace ScimBridge.Platforms.Tests.IdentityProviders;

/// <summary>The pure comparison and repair plan: matching rules and the guards, without any IdP or store.</summary>
public sealed class IdpComparisonTests
{
    private static IdpView View(IEnumerable<IdpUser> users, params IdpGroup[] groups) =>
        new(users.ToDictionary(u => u.Id), groups.ToDictionary(g => g.Id));

    [Fact]
    public void Compare_MatchesByExternalIdThenUserNameIgnoringCase()
    {
        var idp = View([new IdpUser("obj-1", "Ada@Contoso.com", true), new IdpUser("obj-2", "grace@contoso.com", true)]);
        var scim = new ScimView([new ScimUserEntry("s1", null, "ada@contoso.com", true), new ScimUserEntry("s2", "OBJ-2", "renamed@contoso.com", true)], []);

        Assert.Empty(IdpComparison.Compare(idp, scim));
    }

    [Fact]
    public void Compare_DisabledUserThatNeverArrived_IsNotADisagreement()
    {
        var findings = IdpComparison.Compare(View([new IdpUser("obj-1", "ada@contoso.com", false)]), new ScimView([], []));

        Assert.Empty(findings);
    }

    [Fact]
    public void Compare_InactiveUserTheIdpNoLongerAssigns_IsNotADisagreement()
    {
        var findings = IdpComparison.Compare(IdpView.Empty, new ScimView([new ScimUserEntry("s1", null, "left@contoso.com", false)], []));

        Assert.Empty(findings);
    }

    [Fact]
    public void Compare_GroupHereThatTheIdpNoLongerAssigns_IsReportedButNeverRepaired()
    {
        var scim = new ScimView([new ScimUserEntry("s1", "obj-1", "ada@contoso.com", true)], [new ScimGroupEntry("g1", null, "Old", [])]);
        var idp = View([new IdpUser("obj-1", "ada@contoso.com", true)]);

        var findings = IdpComparison.Compare(idp, scim);
        var plan = RepairPlan.For(findings, idp, scim);

        Assert.Equal(FindingKind.GroupNoLongerAssigned, Assert.Single(findings).Kind);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void RepairPlan_CreatesBeforeItLinksAndLinksBeforeItTakesAway()
    {
        var idp = View(
            [new IdpUser("obj-1", "ada@contoso.com", true), new IdpUser("obj-2", "bo@contoso.com", false)],
            new IdpGroup("grp-1", "Eng", ["obj-1"]));
        var scim = new ScimView(
            [new ScimUserEntry("s2", "obj-2", "bo@contoso.com", true), new ScimUserEntry("s3", null, "cy@contoso.com", true)],
            [new ScimGroupEntry("g1", "grp-1", "Eng", ["s3"])]);

        var plan = RepairPlan.For(IdpComparison.Compare(idp, scim), idp, scim);

        Assert.Equal(
            [RepairAction.CreateUser, RepairAction.AddMember, RepairAction.RemoveMember, RepairAction.DeactivateUser, RepairAction.DeactivateUser],
            plan.Steps.Select(s => s.Action));
        Assert.Null(plan.HeldReason);
    }

    [Fact]
    public void IdpViewJson_RoundTrips()
    {
        var view = View([new IdpUser("obj-1", "ada@contoso.com", true, "Ada"), new IdpUser("obj-2", "bo@contoso.com", false)], new IdpGroup("grp-1", "Eng", ["obj-1", "obj-2"]));

        var back = IdpViewJson.Read(IdpViewJson.Write(view));

        Assert.Equal(view.Users.Values.OrderBy(u => u.Id), back.Users.Values.OrderBy(u => u.Id));
        Assert.Equal(["obj-1", "obj-2"], back.Groups["grp-1"].MemberIds);
    }
}
