using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Scim;

namespace ScimBridge.Platforms.Tests.Scim;

/// <summary>
/// The RFC's own example bodies through the real client and adapter, so parsing does not rest on what ScimBridge
/// happens to emit: RFC 7644 §3.4.2 (ListResponse), RFC 7643 §8.2 (full user, trimmed to what is read) and §8.5
/// (group), RFC 7644 §3.12 (errors).
/// </summary>
public sealed class ScimRecordedTests
{
    private const string Rfc7644ListResponse = """
        {
          "schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
          "totalResults":2,
          "Resources":[
            {
              "id":"2819c223-7f76-453a-919d-413861904646",
              "userName":"bjensen"
            },
            {
              "id":"c75ad752-64ae-4823-840d-ffa80929976c",
              "userName":"jsmith"
            }
          ]
        }
        """;

    private const string Rfc7643FullUser = """
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "701984",
          "userName": "bjensen@example.com",
          "name": {
            "formatted": "Ms. Barbara J Jensen, III",
            "familyName": "Jensen",
            "givenName": "Barbara",
            "middleName": "Jane",
            "honorificPrefix": "Ms.",
            "honorificSuffix": "III"
          },
          "displayName": "Babs Jensen",
          "nickName": "Babs",
          "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home" }
          ],
          "active": true,
          "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W\/\"3694e05e9dff591\"",
            "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
          }
        }
        """;

    private const string Rfc7643Group = """
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
          "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
          "displayName": "Tour Guides",
          "members": [
            {
              "value": "2819c223-7f76-453a-919d-413861904646",
              "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
              "display": "Babs Jensen"
            },
            {
              "value": "902c246b-6245-4190-8e05-00816be7344a",
              "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a",
              "display": "Mandy Pepperidge"
            }
          ],
          "meta": {
            "resourceType": "Group",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W\/\"3694e05e9dff592\"",
            "location": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a"
          }
        }
        """;

    private const string Rfc7644NotFound = """
        {
          "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
          "detail":"Resource 2819c223-7f76-453a-919d-413861904646 not found",
          "status": "404"
        }
        """;

    // §3.12's example lacks the comma after "mutability"; added so it is JSON.
    private const string Rfc7644Mutability = """
        {
          "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
          "scimType":"mutability",
          "detail":"Attribute 'id' is readOnly",
          "status": "400"
        }
        """;

    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task The_RFC_list_response_reads_as_one_last_page_of_accounts()
    {
        var (adapter, stub) = Adapter(s => s.On(HttpMethod.Get, "/scim/v2/Users", HttpStatusCode.OK, Rfc7644ListResponse, "application/scim+json"));

        var page = await adapter.ListAccountsAsync(null, Timeout);

        Assert.Equal(["2819c223-7f76-453a-919d-413861904646", "c75ad752-64ae-4823-840d-ffa80929976c"], page.Items.Select(a => a.Id));
        Assert.All(page.Items, a => Assert.Equal((null, AccountStatus.Active), (a.Email, a.Status))); // "bjensen" is no email
        Assert.Null(page.NextPageToken);
        Assert.Equal("?startIndex=1&count=100", stub.Requests[0].Uri.Query);
    }

    [Fact]
    public async Task The_RFC_full_user_gives_primary_email_display_name_external_id_and_creation()
    {
        var list = $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"itemsPerPage":1,"startIndex":1,"Resources":[{{Rfc7643FullUser}}]}""";
        var (adapter, _) = Adapter(s => s.On(HttpMethod.Get, "/scim/v2/Users", HttpStatusCode.OK, list));

        var page = await adapter.ListAccountsAsync(null, Timeout);

        var account = Assert.Single(page.Items);
        Assert.Equal(("bjensen@example.com", "Babs Jensen", "701984"), (account.Email, account.Name, account.ExternalId));
        Assert.Equal(new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero), account.AddedAt);

        // One of three returned although 100 were asked for: the next page starts after what came back (E23).
        Assert.Equal("2", page.NextPageToken);
    }

    [Fact]
    public async Task The_RFC_group_gives_its_members()
    {
        var (adapter, stub) = Adapter(s => s.On(HttpMethod.Get, "/scim/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a", HttpStatusCode.OK, Rfc7643Group));

        var members = await adapter.ListGroupMembersAsync("e9e30dba-f08f-4109-8486-d5c6a331660a", null, Timeout);

        Assert.Equal(["2819c223-7f76-453a-919d-413861904646", "902c246b-6245-4190-8e05-00816be7344a"], members.Items.Select(m => m.AccountId));
        Assert.Equal("?attributes=members", stub.Requests[0].Uri.Query);
    }

    [Fact]
    public async Task The_RFC_404_is_already_in_state_on_removal_and_not_found_on_reads()
    {
        var (adapter, _) = Adapter(s => s
            .On(HttpMethod.Delete, "/scim/v2/Users/2819c223-7f76-453a-919d-413861904646", HttpStatusCode.NotFound, Rfc7644NotFound)
            .On(HttpMethod.Get, "/scim/v2/Groups/2819c223-7f76-453a-919d-413861904646", HttpStatusCode.NotFound, Rfc7644NotFound));

        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.RemoveAccountAsync("2819c223-7f76-453a-919d-413861904646", Timeout)).Outcome);
        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.ListGroupMembersAsync("2819c223-7f76-453a-919d-413861904646", null, Timeout));
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task The_RFC_mutability_error_keeps_its_scimType_and_detail()
    {
        var (adapter, _) = Adapter(s => s
            .On(HttpMethod.Get, "/scim/v2/Groups/g1", HttpStatusCode.OK, """{"id":"g1","displayName":"G","members":[]}""")
            .On(HttpMethod.Patch, "/scim/v2/Groups/g1", HttpStatusCode.BadRequest, Rfc7644Mutability));

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.AddGroupMemberAsync("g1", "u1", Timeout));

        Assert.Equal((PlatformErrorKind.Validation, "mutability"), (error.Kind, error.PlatformCode));
        Assert.EndsWith("Attribute 'id' is readOnly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_uniqueness_error_is_a_conflict_even_when_the_target_answers_400()
    {
        const string empty = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}""";
        const string duplicate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"uniqueness","detail":"userName taken","status":"400"}""";
        var (adapter, stub) = Adapter(s => s
            .On(HttpMethod.Get, "/scim/v2/Users", HttpStatusCode.OK, empty)
            .On(HttpMethod.Post, "/scim/v2/Users", HttpStatusCode.BadRequest, duplicate));

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.InviteAsync(new AccountInvitation("taken@example.com", null, "member", []), Timeout));

        Assert.Equal((PlatformErrorKind.Conflict, "uniqueness"), (error.Kind, error.PlatformCode));
        Assert.Equal(["GET", "POST", "GET"], stub.Requests.Select(r => r.Method.Method)); // looked again after the conflict
        Assert.Equal("application/scim+json", stub.Requests[1].MediaType);
    }

    private static (ScimAdapter Adapter, StubHttpHandler Stub) Adapter(Action<StubHttpHandler> setup)
    {
        var stub = new StubHttpHandler();
        setup(stub);
        var options = new ScimTargetOptions { Platform = "scim", BaseUrl = new Uri("https://app.example/scim/v2/"), ApiKey = "token" };
        var target = new PlatformTarget("recorded", "scim");
        var client = new ScimClient(new HttpClient(stub) { BaseAddress = options.BaseUrl }, target, options, NullLogger.Instance, TimeProvider.System);
        return (new ScimAdapter(client, target, options), stub);
    }
}
