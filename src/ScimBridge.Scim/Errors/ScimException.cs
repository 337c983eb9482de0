namespace ScimBridge.Scim.Errors;

/// <summary>
/// A protocol error that maps one-to-one onto the SCIM error response (RFC 7644 §3.12).
/// Thrown anywhere below the HTTP layer; the host turns it into the error body in one place.
/// </summary>
public sealed class ScimException : Exception
{
    public ScimException(int status, string? scimType, string detail)
        : base(detail)
    {
        Status = status;
        ScimType = scimType;
    }

    public ScimException()
        : this(500, null, "Unexpected error.")
    {
    }

    public ScimException(string message)
        : this(400, null, message)
    {
    }

    public ScimException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
    }

    public int Status { get; }

    public string? ScimType { get; }

    public static ScimException InvalidFilter(string detail) => new(400, Errors.ScimType.InvalidFilter, detail);

    public static ScimException InvalidSyntax(string detail) => new(400, Errors.ScimType.InvalidSyntax, detail);

    public static ScimException InvalidPath(string detail) => new(400, Errors.ScimType.InvalidPath, detail);

    public static ScimException NoTarget(string detail) => new(400, Errors.ScimType.NoTarget, detail);

    public static ScimException InvalidValue(string detail) => new(400, Errors.ScimType.InvalidValue, detail);

    public static ScimException Mutability(string detail) => new(400, Errors.ScimType.Mutability, detail);

    public static ScimException Uniqueness(string detail) => new(409, Errors.ScimType.Uniqueness, detail);

    public static ScimException TooMany(string detail) => new(400, Errors.ScimType.TooMany, detail);

    public static ScimException NotFound(string detail) => new(404, null, detail);

    public static ScimException PreconditionFailed(string detail) => new(412, null, detail);
}
