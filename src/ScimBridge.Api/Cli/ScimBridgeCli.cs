using System.CommandLine;
using Mediator;
using ScimBridge.Api.Hosting;
using ScimBridge.Core.Connections;

namespace ScimBridge.Api.Cli;

/// <summary>
/// The service binary's commands. With no command (or "serve") it runs the server; any option it does not know
/// (--urls, --Storage:DataDirectory=…) goes to ASP.NET Core configuration. Exit codes: 0 ok, 1 failure,
/// 2 bad usage, 3 not found, 4 conflict.
/// </summary>
public static class ScimBridgeCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("ScimBridge: a SCIM 2.0 service provider for Entra ID and Okta that governs AI platform access.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = new Command("serve", "Run the service (the default). ASP.NET Core options such as --urls pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((result, ct) => ServeAsync([.. result.UnmatchedTokens], ct));
        root.SetAction((result, ct) => ServeAsync([.. result.UnmatchedTokens], ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(Connections());
        root.Subcommands.Add(PlatformCommands.Create());
        root.Subcommands.Add(ReconcileCommands.Reconcile());
        root.Subcommands.Add(ReconcileCommands.Policy());
        root.Subcommands.Add(IdpCommands.Create());
        root.Subcommands.Add(ReportCommands.Report());
        root.Subcommands.Add(ReportCommands.Keys());
        root.Subcommands.Add(OperatorCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Bad usage is exit 2 for every command, as the class comment promises; System.CommandLine alone would say 1.
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            return BadUsage;
        }

        return await parsed.InvokeAsync();
    }

    private static async Task<int> ServeAsync(string[] hostArgs, CancellationToken cancellationToken)
    {
        await using var app = ScimBridgeHost.Build(hostArgs);
        await app.RunAsync(cancellationToken);
        return Ok;
    }

    private static Command Connections()
    {
        var name = new Option<string>("--name") { Description = "The connection's name, e.g. entra-prod.", Required = true };
        var kind = new Option<IdpKind>("--kind") { Description = "The IdP: entra, okta or generic (selects its SCIM dialect).", DefaultValueFactory = _ => IdpKind.Generic };
        var jwtSubject = new Option<string?>("--jwt-subject") { Description = "Accept OAuth JWTs whose azp/appid/client_id/sub equals this value." };

        var create = new Command("create", "Create an IdP connection and print its bearer secret (shown once, stored only as a hash).")
        {
            name, kind, jwtSubject,
        };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction((result, ct) => WithMediatorAsync(result, async mediator =>
        {
            var created = await mediator.Send(new CreateConnection(result.GetValue(name)!, result.GetValue(kind), result.GetValue(jwtSubject)), ct);
            Console.WriteLine($"Created connection '{created.Connection.Name}' ({created.Connection.Kind.ToString().ToLowerInvariant()}), id {created.Connection.Id}.");
            Console.WriteLine("Tenant URL: https://<your-host>/scim/v2");
            Console.WriteLine($"Secret token (shown once; store it in your IdP now): {created.Secret}");
            return Ok;
        }, ct, audited: $"connections create {result.GetValue(name)}"));

        var list = new Command("list", "List IdP connections (never their secrets).");
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction((result, ct) => WithMediatorAsync(result, async mediator =>
        {
            var connections = await mediator.Send(new ListConnections(), ct);
            Console.WriteLine($"{"NAME",-24} {"KIND",-8} {"ID",-36} CREATED");
            foreach (var c in connections)
            {
                Console.WriteLine($"{c.Name,-24} {c.Kind.ToString().ToLowerInvariant(),-8} {c.Id,-36} {c.Created:u}");
            }

            return Ok;
        }, ct));

        var rotate = new Command("rotate-secret", "Issue a new bearer secret for a connection; the old one stops working.") { name };
        rotate.TreatUnmatchedTokensAsErrors = false;
        rotate.SetAction((result, ct) => WithMediatorAsync(result, async mediator =>
        {
            var secret = await mediator.Send(new RotateConnectionSecret(result.GetValue(name)!), ct);
            Console.WriteLine($"New secret token for '{result.GetValue(name)}' (shown once): {secret}");
            return Ok;
        }, ct, audited: $"connections rotate-secret {result.GetValue(name)}"));

        return new Command("connections", "Manage IdP connections.") { create, list, rotate };
    }

    // audited: the operator action as the audit trail names it (never a secret); recorded with its outcome, whoever ran it.
    private static async Task<int> WithMediatorAsync(ParseResult result, Func<IMediator, Task<int>> action, CancellationToken cancellationToken, string? audited = null)
    {
        var (opened, invalid) = await CliHost.OpenAsync(result, storage: true, cancellationToken);
        if (opened is null)
        {
            return invalid;
        }

        await using var app = opened;
        var exit = await RunAsync(app, action);
        if (audited is not null)
        {
            var status = exit switch { Ok => 200, NotFound => 404, Conflict => 409, BadUsage => 400, _ => 500 };
            await app.Services.GetRequiredService<Core.Audit.IAuditLog>().AppendAsync(
                [Core.Audit.AuditEvents.OperatorAction("cli:" + Environment.UserName, "CLI", audited, status, requestId: null, "connections", audited.Split(' ')[^1])],
                CancellationToken.None);
        }

        return exit;
    }

    private static async Task<int> RunAsync(WebApplication app, Func<IMediator, Task<int>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            return await action(scope.ServiceProvider.GetRequiredService<IMediator>());
        }
        catch (FluentValidation.ValidationException e)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, e.Errors.Select(x => x.ErrorMessage)));
            return BadUsage;
        }
        catch (Core.NotFoundException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return NotFound;
        }
        catch (Core.ConflictException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return Conflict;
        }
    }
}
