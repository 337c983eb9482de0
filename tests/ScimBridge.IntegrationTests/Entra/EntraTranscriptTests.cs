using ScimBridge.Core.Connections;
using ScimBridge.IntegrationTests.Infrastructure;

namespace ScimBridge.IntegrationTests.Entra;

/// <summary>Replays Transcripts/entra/*.json (built from idp-clients.md §2 E1–E26) on an Entra connection.</summary>
public sealed class EntraTranscriptTests(ScimServerFixture fixture) : IClassFixture<ScimServerFixture>
{
    public static TheoryData<string> Transcripts => TranscriptRunner.Files("entra");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Replay_EntraTranscript_EveryStepAnswersAsRecorded(string transcript)
    {
        using var client = await fixture.Server.ClientAsync(IdpKind.Entra);
        await TranscriptRunner.RunAsync(client, "entra", transcript);
    }
}
