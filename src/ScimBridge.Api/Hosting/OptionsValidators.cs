using Microsoft.Extensions.Options;
using ScimBridge.Api.Auth;
using ScimBridge.Core.Connections;

namespace ScimBridge.Api.Hosting;

/// <summary>Start-up checks with messages that say what to fix, beyond what data annotations can express.</summary>
public sealed class ConnectionsOptionsValidator : IValidateOptions<ConnectionsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionsOptions options)
    {
        var failures = new List<string>();
        foreach (var (connection, index) in options.Declared.Select((c, i) => (c, i)))
        {
            var where = $"Connections:Declared:{index}";
            if (string.IsNullOrWhiteSpace(connection.Name) || !System.Text.RegularExpressions.Regex.IsMatch(connection.Name, "^[A-Za-z0-9][A-Za-z0-9._-]*$"))
            {
                failures.Add($"{where}:Name must be letters, digits, '.', '_' or '-' (got '{connection.Name}').");
            }

            if (!Enum.IsDefined(connection.Kind))
            {
                failures.Add($"{where}:Kind must be one of {string.Join(", ", Enum.GetNames<IdpKind>())}.");
            }

            if (connection.SecretEnvironmentVariable is { } variable)
            {
                var secret = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(secret))
                {
                    failures.Add($"{where}:SecretEnvironmentVariable names '{variable}', which is not set.");
                }
                else if (secret.Length < 32)
                {
                    failures.Add($"{where}: the secret in '{variable}' is shorter than 32 characters; use a long random value.");
                }
            }
            else if (connection.JwtSubject is null)
            {
                failures.Add($"{where} has neither SecretEnvironmentVariable nor JwtSubject, so nothing could authenticate as it.");
            }
        }

        if (options.Declared.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            failures.Add($"Connections:Declared names connection '{duplicate.Key}' more than once.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, index) in options.Jwt.SigningKeys.Select((k, i) => (k, i)))
        {
            var bytes = new byte[key.Length];
            if (!Convert.TryFromBase64String(key, bytes, out var length) || length < 32)
            {
                failures.Add($"Auth:Jwt:SigningKeys:{index} must be base64 of at least 32 bytes.");
            }
        }

        if (options.Jwt.Authority is { } authority && !Uri.TryCreate(authority, UriKind.Absolute, out _))
        {
            failures.Add($"Auth:Jwt:Authority '{authority}' is not an absolute URL.");
        }

        if (options.Jwt.Enabled && options.Jwt.Audience is null)
        {
            failures.Add("Auth:Jwt:Audience is required when JWT authentication is configured: without it any token from the issuer would do.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class HostOptionsValidator : IValidateOptions<HostOptions>
{
    public ValidateOptionsResult Validate(string? name, HostOptions options)
    {
        var failures = options.TrustedProxies
            .Select((proxy, index) => (proxy, index))
            .Where(p => !System.Net.IPNetwork.TryParse(p.proxy, out _) && !System.Net.IPAddress.TryParse(p.proxy, out _))
            .Select(p => $"Host:TrustedProxies:{p.index} '{p.proxy}' is neither an IP address nor a CIDR network.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
