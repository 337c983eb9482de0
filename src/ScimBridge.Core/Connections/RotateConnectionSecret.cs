using Mediator;

namespace ScimBridge.Core.Connections;

/// <summary>Issues a new bearer secret for a connection; the old one stops working at once.</summary>
public sealed record RotateConnectionSecret(string Name) : ICommand<string>;

public sealed class RotateConnectionSecretHandler(IConnectionStore store) : ICommandHandler<RotateConnectionSecret, string>
{
    public async ValueTask<string> Handle(RotateConnectionSecret command, CancellationToken cancellationToken)
    {
        var secret = ConnectionSecret.Generate();
        if (!await store.SetSecretHashAsync(command.Name, ConnectionSecret.Hash(secret), cancellationToken))
        {
            throw new NotFoundException($"No connection named '{command.Name}'.");
        }

        return secret;
    }
}
