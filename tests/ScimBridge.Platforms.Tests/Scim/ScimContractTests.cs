using ScimBridge.Platforms.Tests.Contract;

namespace ScimBridge.Platforms.Tests.Scim;

public sealed class ScimContractTests : PlatformAdapterContractTests<ScimHarness>;
