using ScimBridge.Scim.Dialects;

namespace ScimBridge.Scim.Tests.Dialects;

public sealed class IdpDialectTests
{
    [Theory]
    [InlineData("entra", "entra")]
    [InlineData("ENTRA", "entra")]
    [InlineData("Okta", "okta")]
    [InlineData(" generic ", "generic")]
    public void ForKind_KnownKindInAnyCase_ReturnsDialect(string kind, string name)
    {
        Assert.Equal(name, IdpDialect.ForKind(kind).Name);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("")]
    public void ForKind_UnknownKind_ThrowsArgumentException(string kind)
    {
        Assert.Throws<ArgumentException>(() => IdpDialect.ForKind(kind));
    }

    [Fact]
    public void Quirks_OnlyEntraUpsertsAndGenericHasEveryOtherTolerance()
    {
        Assert.True(IdpDialect.Entra.UpsertOnUnmatchedValuePathReplace);
        Assert.False(IdpDialect.Okta.UpsertOnUnmatchedValuePathReplace);
        Assert.False(IdpDialect.Generic.UpsertOnUnmatchedValuePathReplace);

        Assert.True(IdpDialect.Generic.RemoveWithValueRemovesOnlyThoseValues);
        Assert.True(IdpDialect.Generic.AcceptsManagerShorthand);
        Assert.True(IdpDialect.Generic.IgnoresOwnIdInPatchValue);

        Assert.False(IdpDialect.Entra.IgnoresOwnIdInPatchValue);
        Assert.False(IdpDialect.Okta.AcceptsManagerShorthand);
    }
}
