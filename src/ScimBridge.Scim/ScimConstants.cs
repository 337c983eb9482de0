namespace ScimBridge.Scim;

public static class ScimConstants
{
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string SearchRequestSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    public const string SchemaSchema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    public const string ResourceTypeSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string ServiceProviderConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    /// <summary>RFC 7644 §3.1: SCIM messages use this media type; application/json is also accepted.</summary>
    public const string MediaType = "application/scim+json";
}
