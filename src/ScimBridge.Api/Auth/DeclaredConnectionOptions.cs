using System.ComponentModel.DataAnnotations;
using ScimBridge.Core.Connections;

namespace ScimBridge.Api.Auth;

/// <summary>
/// Connections declared in configuration (for containers): the secret comes from the environment variable named
/// by SecretEnvironmentVariable, so it never sits in a file. Applied on every start (upsert by name).
/// </summary>
public sealed class DeclaredConnectionOptions
{
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    public string Name { get; set; } = string.Empty;

    public IdpKind Kind { get; set; } = IdpKind.Generic;

    public string? SecretEnvironmentVariable { get; set; }

    public string? JwtSubject { get; set; }
}

public sealed class ConnectionsOptions
{
    public const string Section = "Connections";

    public IList<DeclaredConnectionOptions> Declared { get; } = [];
}
