using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Core.Platforms;
using ScimBridge.Platforms.Anthropic;

namespace ScimBridge.Platforms.Tests.Anthropic;

/// <summary>A grant that loses a race (the member appears between the read and the add) still converges.</summary>
public sealed class AnthropicGrantRaceTests
{
    private const string Member = """{"type":"workspace_member","user_id":"user_01A","workspace_id":"wrkspc_01W","workspace_role":"ROLE"}""";
    private const string AlreadyMember = """{"type":"error","error":{"type":"invalid_request_error","message":"User is already a member of this workspace."},"request_id":"req_01X"}""";
    private const string NotFound = """{"type":"error","error":{"type":"not_found_error","message":"The requested resource could not be found."},"request_id":"req_01Y"}""";

    [Theory]
    [InlineData("workspace_developer", ChangeOutcome.AlreadyInState, 3)]
    [InlineData("workspace_user", ChangeOutcome.Applied, 4)]
    public async Task An_add_refused_because_someone_else_added_the_member_reads_again(string roleAddedMeanwhile, ChangeOutcome expected, int calls)
    {
        var handler = new ScriptedHandler(
            (HttpStatusCode.NotFound, NotFound),
            (HttpStatusCode.BadRequest, AlreadyMember),
            (HttpStatusCode.OK, Member.Replace("ROLE", roleAddedMeanwhile, StringComparison.Ordinal)),
            (HttpStatusCode.OK, Member.Replace("ROLE", "workspace_developer", StringComparison.Ordinal)));

        var result = await Adapter(handler).GrantMembershipAsync("wrkspc_01W", "user_01A", "workspace_developer", CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(calls, handler.Calls.Count);
        Assert.Equal(["GET", "POST", "GET"], handler.Calls.Take(3).Select(c => c.Method));
    }

    [Fact]
    public async Task An_add_refused_for_another_reason_is_reported()
    {
        var handler = new ScriptedHandler((HttpStatusCode.NotFound, NotFound), (HttpStatusCode.BadRequest, AlreadyMember), (HttpStatusCode.NotFound, NotFound));

        var error = await Assert.ThrowsAsync<PlatformPermanentException>(() =>
            Adapter(handler).GrantMembershipAsync("wrkspc_01W", "user_01A", "workspace_developer", CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Validation, error.Kind);
        Assert.Equal(3, handler.Calls.Count);
    }

    private static AnthropicAdapter Adapter(HttpMessageHandler handler)
    {
        var target = new PlatformTarget("race", "anthropic");
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://api.anthropic.com/") };
        var client = new AnthropicClient(http, target, new AnthropicOptions { ApiKey = "sk-ant-admin01-race" }, NullLogger<AnthropicClient>.Instance, TimeProvider.System);
        return new AnthropicAdapter(target, client, NullLogger<AnthropicAdapter>.Instance, TimeProvider.System);
    }

    private sealed class ScriptedHandler(params (HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
    {
        public List<(string Method, string Path)> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (status, body) = answers[Calls.Count];
            Calls.Add((request.Method.Method, request.RequestUri!.AbsolutePath));
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
