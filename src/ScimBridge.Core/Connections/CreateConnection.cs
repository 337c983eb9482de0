using FluentValidation;
using Mediator;

namespace ScimBridge.Core.Connections;

/// <summary>Creates an IdP connection and returns its bearer secret, the only time it is ever visible.</summary>
public sealed record CreateConnection(string Name, IdpKind Kind, string? JwtSubject) : ICommand<CreatedConnection>;

public sealed record CreatedConnection(IdpConnection Connection, string Secret);

public sealed class CreateConnectionValidator : AbstractValidator<CreateConnection>
{
    public CreateConnectionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100)
            .Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$").WithMessage("Name may contain letters, digits, '.', '_' and '-'.");
        RuleFor(c => c.Kind).IsInEnum();
        RuleFor(c => c.JwtSubject).MaximumLength(200);
    }
}

public sealed class CreateConnectionHandler(IConnectionStore store, TimeProvider clock) : ICommandHandler<CreateConnection, CreatedConnection>
{
    public async ValueTask<CreatedConnection> Handle(CreateConnection command, CancellationToken cancellationToken)
    {
        if (await store.FindByNameAsync(command.Name, cancellationToken) is not null)
        {
            throw new ConflictException($"A connection named '{command.Name}' already exists.");
        }

        var connection = new IdpConnection(Guid.CreateVersion7(), command.Name, command.Kind, command.JwtSubject, clock.GetUtcNow());
        var secret = ConnectionSecret.Generate();
        await store.CreateAsync(connection, ConnectionSecret.Hash(secret), cancellationToken);
        return new CreatedConnection(connection, secret);
    }
}
