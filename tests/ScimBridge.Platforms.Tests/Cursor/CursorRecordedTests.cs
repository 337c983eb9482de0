using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Cursor;
using ScimBridge.Platforms.Tests.Scim;

namespace ScimBridge.Platforms.Tests.Cursor;

/// <summary>
/// The response bodies of Cursor's Admin API docs (Recorded/cursor, sources in its README) parsed through the real
/// client and adapter, so the wire types match what Cursor documents, not only what our simulator sends.
/// </summary>
public sealed class CursorRecordedTests
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task The_docs_member_list_with_numeric_ids_reads_as_accounts()
    {
        var (adapter, _) = Adapter(stub => stub.On(HttpMethod.Get, "/teams/members", HttpStatusCode.OK, Recorded("members.json")));

        var page = await adapter.ListAccountsAsync(null, Timeout);

        Assert.Null(page.NextPageToken);
        Assert.Equal(
            [
                new PlatformAccount("12345", "developer@company.com", "Alex", "member", AccountStatus.Active, null),
                new PlatformAccount("12346", "admin@company.com", "Sam", "owner", AccountStatus.Active, null),
            ],
            page.Items);
    }

    [Fact]
    public async Task Encoded_ids_are_kept_and_removal_sends_only_the_userId()
    {
        var (adapter, stub) = Adapter(stub => stub
            .On(HttpMethod.Get, "/teams/members", HttpStatusCode.OK, Recorded("members-encoded-ids.json"))
            .On(HttpMethod.Post, "/teams/remove-member", HttpStatusCode.OK, Recorded("remove-member.json")));

        var accounts = (await adapter.ListAccountsAsync(null, Timeout)).Items;
        var result = await adapter.RemoveAccountAsync(accounts[0].Id, Timeout);

        Assert.Equal(["user_PDSPmvukpYgZEDXsoNirw3CFhy", "user_kljUvI0ASZORvSEXf9hV0ydcso"], accounts.Select(a => a.Id));
        Assert.Equal(ChangeOutcome.Applied, result.Outcome);
        var sent = JsonNode.Parse(stub.Requests[^1].Body!)!.AsObject();
        Assert.Equal(["userId"], sent.Select(p => p.Key));
        Assert.Equal("user_PDSPmvukpYgZEDXsoNirw3CFhy", (string?)sent["userId"]);
    }

    [Fact]
    public async Task Members_without_ids_are_addressed_by_email()
    {
        var (adapter, stub) = Adapter(stub => stub
            .On(HttpMethod.Get, "/teams/members", HttpStatusCode.OK, Recorded("members-no-ids.json"))
            .On(HttpMethod.Post, "/teams/remove-member", HttpStatusCode.OK, Recorded("remove-member.json")));

        var members = (await adapter.ListMembersAsync("team", null, Timeout)).Items;
        await adapter.RevokeMembershipAsync("team", members[0].AccountId, Timeout);

        Assert.Equal(["developer@company.com", "admin@company.com"], members.Select(m => m.AccountId));
        Assert.Equal(["member", "owner"], members.Select(m => m.Role));
        Assert.Equal("""{"email":"developer@company.com"}""", stub.Requests[^1].Body);
    }

    [Fact]
    public async Task The_docs_audit_log_reads_as_activity_with_addresses_and_user_agent()
    {
        var (adapter, stub) = Adapter(stub => stub.On(HttpMethod.Get, "/teams/audit-logs", HttpStatusCode.OK, Recorded("audit-logs.json")));
        var since = new DateTimeOffset(2024, 1, 9, 0, 0, 0, TimeSpan.Zero);

        var page = await adapter.ListActivityAsync(new ActivityQuery(since, since.AddDays(7)), null, Timeout);

        Assert.Equal(["evt_abc123", "evt_def456"], page.Items.Select(a => a.Id));
        var settings = page.Items[0];
        Assert.Equal("settings_changed", settings.Type);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 12, 30, 0, TimeSpan.Zero), settings.OccurredAt);
        Assert.Equal("admin@company.com", settings.ActorEmail);
        Assert.Equal("203.0.113.42", settings.IpAddress);
        var login = page.Items[1];
        Assert.Equal(("login", "192.168.1.1", "Cursor/0.42.0"), (login.Type, login.IpAddress, login.UserAgent));
        Assert.NotNull(page.NextPageToken); // the usage of the same window comes next
        Assert.Equal(
            $"?startTime={since.ToUnixTimeMilliseconds()}&endTime={since.AddDays(7).ToUnixTimeMilliseconds()}&page=1&pageSize=100",
            stub.Requests[0].Uri.Query);
    }

    [Fact]
    public async Task The_docs_daily_usage_gives_one_activity_per_active_user_day()
    {
        var (adapter, stub) = Adapter(stub => stub
            .On(HttpMethod.Get, "/teams/audit-logs", HttpStatusCode.OK, Recorded("audit-logs.json"))
            .On(HttpMethod.Post, "/teams/daily-usage-data", HttpStatusCode.OK, Recorded("daily-usage-paginated.json")));
        var query = new ActivityQuery(new DateTimeOffset(2024, 3, 18, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 20, 0, 0, 0, TimeSpan.Zero));

        var first = await adapter.ListActivityAsync(query, null, Timeout);
        var usage = await adapter.ListActivityAsync(query, first.NextPageToken, Timeout);

        var day = Assert.Single(usage.Items); // the isActive:false record is not activity
        Assert.Equal(("usage.daily:12345:2024-03-18", "usage.daily"), (day.Id, day.Type));
        Assert.Equal(("12345", "developer@company.com"), (day.ActorAccountId, day.ActorEmail));
        Assert.Equal(new DateTimeOffset(2024, 3, 18, 0, 0, 0, TimeSpan.Zero), day.OccurredAt);
        Assert.Null(usage.NextPageToken);
        var sent = JsonNode.Parse(stub.Requests[^1].Body!)!;
        Assert.Equal((1710720000000L, 1710892800000L, 1, 100), ((long)sent["startDate"]!, (long)sent["endDate"]!, (int)sent["page"]!, (int)sent["pageSize"]!));
    }

    [Theory]
    [InlineData("error-either-userid-or-email.json", "Either userId or email must be provided")]
    [InlineData("error-both-userid-and-email.json", "Only one of userId or email should be provided, not both")]
    public async Task The_docs_request_errors_are_permanent_validation_failures(string file, string text)
    {
        var (adapter, _) = Adapter(stub => stub.On(HttpMethod.Post, "/teams/remove-member", HttpStatusCode.BadRequest, Recorded(file)));

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.RemoveAccountAsync("user_x", Timeout));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Equal(("recorded", "teams.remove_member"), (error.Target, error.Operation));
    }

    [Fact]
    public async Task The_docs_not_a_member_error_means_already_removed()
    {
        var (adapter, _) = Adapter(stub => stub.On(HttpMethod.Post, "/teams/remove-member", HttpStatusCode.BadRequest, Recorded("error-not-a-member.json")));

        Assert.Equal(ChangeOutcome.AlreadyInState, (await adapter.RemoveAccountAsync("developer@company.com", Timeout)).Outcome);
    }

    [Fact]
    public async Task The_429_body_and_its_Retry_After_become_a_transient_rate_limit()
    {
        var (adapter, _) = Adapter(stub => stub.On(HttpMethod.Get, "/teams/members", HttpStatusCode.TooManyRequests, Recorded("error-rate-limited.json"), retryAfter: TimeSpan.FromSeconds(60)));

        var error = await Assert.ThrowsAsync<PlatformTransientException>(() => adapter.ListAccountsAsync(null, Timeout));

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Equal("Too Many Requests", error.PlatformCode);
        Assert.Contains("Rate limit exceeded. Please try again later.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_newer_code_and_message_envelope_is_read_too()
    {
        var (adapter, _) = Adapter(stub => stub.On(HttpMethod.Get, "/teams/members", HttpStatusCode.Forbidden, Recorded("error-code-message.json")));

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() => adapter.ListAccountsAsync(null, Timeout));

        Assert.Equal((PlatformErrorKind.NotAllowed, 403, "error"), (error.Kind, error.StatusCode, error.PlatformCode));
        Assert.EndsWith("Group not found", error.Message, StringComparison.Ordinal);
    }

    private static string Recorded(string file) => StubHttpHandler.Recorded("cursor", file);

    private static (CursorAdapter Adapter, StubHttpHandler Stub) Adapter(Action<StubHttpHandler> setup)
    {
        var stub = new StubHttpHandler();
        setup(stub);
        var options = new CursorOptions { Platform = "cursor", ApiKey = "key_recorded" };
        var target = new PlatformTarget("recorded", "cursor");
        var client = new CursorClient(new HttpClient(stub) { BaseAddress = new Uri("https://api.cursor.com/") }, target, options, NullLogger.Instance, TimeProvider.System);
        return (new CursorAdapter(client, target, options, TimeProvider.System), stub);
    }
}
