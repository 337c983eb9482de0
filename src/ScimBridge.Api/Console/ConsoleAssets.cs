using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

// Not ScimBridge.Api.Console: that namespace would shadow System.Console in the CLI's files.
namespace ScimBridge.Api.WebConsole;

/// <summary>
/// The console's static files (Console/assets), embedded in the assembly so the service needs no folder beside it
/// and no network: read once at start, served with a strong ETag. Nothing here is generated or fetched from a CDN.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // MSBuild's %(RecursiveDir) uses the build machine's separator.
            var path = resource.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !ContentTypes.TryGetValue(Path.GetExtension(path), out var contentType))
            {
                continue;
            }

            assets[path[Prefix.Length..]] = Load(assembly, resource, contentType);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Paths => _assets.Keys;

    public Asset? Find(string path) => _assets.GetValueOrDefault(path);

    private static Asset Load(Assembly assembly, string resource, string contentType)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return new Asset(bytes, contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
    }

    public sealed record Asset(byte[] Content, string ContentType, string ETag);
}
