using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Api.Reconciliation;

namespace ScimBridge.Api.Operators;

public static class OperatorsRegistration
{
    /// <summary>Operator authentication for /admin and the console: options checked on start, sessions, throttle, the JWT scheme.</summary>
    public static IServiceCollection AddOperators(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound once, by AddScimBridgeReconciliation (binding twice would list every operator twice).
        services.AddOptions<AdminOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<OperatorSessions>();
        services.AddSingleton<OperatorThrottle>();
        services.AddSingleton<OperatorAuthenticator>();

        var jwt = configuration.GetSection(AdminOptions.Section).Get<AdminOptions>()?.Jwt ?? new OperatorJwtOptions();
        if (jwt.Enabled)
        {
            // Not a default scheme: OperatorAuthenticator asks for it only on /admin calls whose bearer looks like a JWT.
            services.AddAuthentication().AddJwtBearer(OperatorAuthenticator.JwtScheme, options =>
            {
                options.Authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer) || !string.IsNullOrWhiteSpace(jwt.Authority),
                    ValidAudience = jwt.Audience,
                    ValidateAudience = true,
                    RoleClaimType = jwt.RoleClaim,
                    NameClaimType = "preferred_username",
                    IssuerSigningKeys = IsBase64(jwt.SigningKey) ? [new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey!))] : [],
                };
            });
        }

        return services;
    }

    // Bad keys are reported by AdminOptionsValidator on start; here they must only not throw first.
    private static bool IsBase64(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Convert.TryFromBase64String(value, new byte[value.Length], out _);
}
