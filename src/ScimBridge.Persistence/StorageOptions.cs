using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Persistence;

/// <summary>Where data lives, bound from the "Storage" configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// A PostgreSQL connection string (Npgsql format). When set, ScimBridge stores everything in PostgreSQL, which
    /// several replicas can share; when empty, in SQLite under <see cref="DataDirectory"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder holding scimbridge.db (SQLite, WAL). Created on start.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite read connections kept open with their prepared statements; requests beyond this wait for one.</summary>
    [Range(1, 256)]
    public int MaxReadConnections { get; set; } = 16;
}
