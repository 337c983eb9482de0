using ScimBridge.Platforms.Tests.Contract;

namespace ScimBridge.Platforms.Tests.OpenAI;

/// <summary>The shared adapter contract against the OpenAI simulator; the paged listing is organization users.</summary>
public sealed class OpenAIContractTests : PlatformAdapterContractTests<OpenAIHarness>;
