return await ScimBridge.Api.Cli.ScimBridgeCli.RunAsync(args);
