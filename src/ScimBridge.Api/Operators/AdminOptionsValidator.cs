using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ScimBridge.Api.Reconciliation;

namespace ScimBridge.Api.Operators;

/// <summary>Start-up checks of the operator credentials (Admin:*), with messages naming the key; never echoes a secret.</summary>
public sealed partial class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        foreach (var (account, index) in options.Operators.Select((a, i) => (a, i)))
        {
            var where = $"Admin:Operators:{index}";
            if (string.IsNullOrWhiteSpace(account.Name) || !OperatorName().IsMatch(account.Name))
            {
                failures.Add($"{where}:Name must be 1–64 letters, digits, '.', '_', '-' or '@' (got '{account.Name}').");
            }

            if (!OperatorRoles.IsKnown(account.Role))
            {
                failures.Add($"{where}:Role is '{account.Role}'; expected '{OperatorRoles.Reader}' or '{OperatorRoles.Admin}'.");
            }

            if (OperatorPasswordHasher.Problem(account.PasswordHash) is { } problem)
            {
                failures.Add($"{where}:PasswordHash {problem}.");
            }
        }

        if (options.Operators.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            failures.Add($"Admin:Operators names operator '{duplicate.Key}' more than once.");
        }

        var jwt = options.Jwt;
        if (jwt.Authority is { Length: > 0 } authority
            && (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Admin:Jwt:Authority '{authority}' is not an absolute https URL.");
        }

        if (jwt.SigningKey is { Length: > 0 } key && !IsKey(key))
        {
            failures.Add("Admin:Jwt:SigningKey must be base64 of at least 32 bytes.");
        }

        if (jwt.Enabled)
        {
            if (string.IsNullOrWhiteSpace(jwt.Audience))
            {
                failures.Add("Admin:Jwt:Audience is required when operator JWTs are configured: without it any token from the issuer would do.");
            }

            if (string.IsNullOrWhiteSpace(jwt.Authority) && string.IsNullOrWhiteSpace(jwt.Issuer))
            {
                failures.Add("Admin:Jwt:Issuer is required with Admin:Jwt:SigningKey.");
            }

            if (string.IsNullOrWhiteSpace(jwt.RoleClaim))
            {
                failures.Add("Admin:Jwt:RoleClaim must name the claim that carries the operator's role.");
            }

            if (jwt.AdminRoles.Concat(jwt.ReaderRoles).Any(string.IsNullOrWhiteSpace))
            {
                failures.Add("Admin:Jwt:AdminRoles and Admin:Jwt:ReaderRoles must not contain empty values.");
            }

            if (jwt.EffectiveAdminRoles.Intersect(jwt.EffectiveReaderRoles, StringComparer.Ordinal).FirstOrDefault() is { } both)
            {
                failures.Add($"Admin:Jwt: role value '{both}' is listed as both an admin and a reader role.");
            }
        }

        if (options.Session.Key is { Length: > 0 } sessionKey && !IsKey(sessionKey))
        {
            failures.Add("Admin:Session:Key must be base64 of at least 32 bytes.");
        }

        if (options.Session.LifetimeMinutes is < 5 or > 10_080)
        {
            failures.Add($"Admin:Session:LifetimeMinutes is {options.Session.LifetimeMinutes}; between 5 and 10080 (a week) is accepted.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKey(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) && length >= 32;
    }

    [GeneratedRegex("^[A-Za-z0-9@._-]{1,64}$")]
    private static partial Regex OperatorName();
}
