using System.Reflection;

namespace ScimBridge.Persistence;

/// <summary>Numbered SQL migrations embedded per dialect (NNN_name.sql), in version order.</summary>
internal static class Migrations
{
    public static IEnumerable<(long Version, string Name, string Sql)> Embedded(Assembly assembly, string prefix)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..];
            var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }
}
