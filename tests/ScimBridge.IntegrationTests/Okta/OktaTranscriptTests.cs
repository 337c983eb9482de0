using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Okta;

/// <summary>Replays Transcripts/okta/*.json (built from idp-clients.md §2 O1–O21) on an Okta connection.</summary>
public sealed class OktaTranscriptTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    public static TheoryData<string> Transcripts => TranscriptRunner.Files("okta");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Replay_OktaTranscript_EveryStepAnswersAsRecorded(string transcript)
    {
        using var client = await fixture.Server.ClientAsync(IdpKind.Okta);
        await TranscriptRunner.RunAsync(client, "okta", transcript);
    }
}
