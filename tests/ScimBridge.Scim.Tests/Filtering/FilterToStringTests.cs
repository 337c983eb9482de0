using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public sealed class FilterToStringTests
{
    [Theory]
    [InlineData("userName eq \"a\\\"b\" and (emails.value co \"x\" or not (title pr))")]
    [InlineData("emails[type eq \"work\" and value ew \"@x.com\"]")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Eng\"")]
    [InlineData("externalId eq 00123 or active eq true or title eq null")]
    public void ToString_ParsesBackToTheSameTree(string filter)
    {
        var parsed = FilterParser.Parse(filter);
        Assert.Equal(parsed, FilterParser.Parse(parsed.ToString()));
    }

    [Fact]
    public void PatchPathToString_ParsesBack()
    {
        var path = PatchPath.Parse("emails[type eq \"work\"].value");
        Assert.Equal("emails[type eq \"work\"].value", path.ToString());
        Assert.Equal(path.ToString(), PatchPath.Parse(path.ToString()).ToString());
    }
}
