using ScimBridge.Platforms.Tests.Contract;

namespace ScimBridge.Platforms.Tests.Cursor;

public sealed class CursorContractTests : PlatformAdapterContractTests<CursorHarness>;
