using System.Security.Claims;

namespace ScimBridge.Api.Operators;

/// <summary>How an operator proved who they are; recorded on the principal for the audit trail and the console.</summary>
public static class OperatorPrincipal
{
    public const string AuthenticationType = "ScimBridgeOperator";
    public const string MethodClaim = "scimbridge:operator-auth";

    /// <summary>The name the shared Admin:Token acts under (the audit trail's actor for it).</summary>
    public const string TokenOperatorName = "admin-token";

    public static ClaimsPrincipal Create(string name, string role, string method) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim(MethodClaim, method)],
            AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
}
