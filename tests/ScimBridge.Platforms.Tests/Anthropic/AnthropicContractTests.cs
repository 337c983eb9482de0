using ScimBridge.Platforms.Tests.Contract;

namespace ScimBridge.Platforms.Tests.Anthropic;

public sealed class AnthropicContractTests : PlatformAdapterContractTests<AnthropicHarness>;
