using System.Net;
using System.Text;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Operations;

/// <summary>On SIGTERM (a rolling deploy), a request already being processed still completes and is kept.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_WhileARequestIsInFlight_FinishesIt()
    {
        var server = await ScimServer.StartAsync("--Host:ShutdownTimeoutSeconds=20");
        await using var _ = server;
        using var client = await server.ClientAsync();
        var body = new GatedContent("{\"userName\":\"in-flight@x.com\",", "\"active\":true}");

        var post = client.PostAsync("Users", body);
        await body.FirstPartSent.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200); // the server has the headers and is reading the body

        var stopping = server.StopAsync();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "the server stopped without waiting for the in-flight request");

        body.Release();
        var response = await post.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>A body sent in two parts, the second only when released: a request that is still in flight.</summary>
    private sealed class GatedContent(string first, string second) : HttpContent
    {
        private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstPartSent => _firstSent.Task;

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            _firstSent.TrySetResult();
            await _release.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(second));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Encoding.UTF8.GetByteCount(first) + Encoding.UTF8.GetByteCount(second);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/scim+json");
            return true;
        }
    }
}
