using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScimBridge.Simulators.IdentityProviders;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made once per process, for simulators served over https.
/// Azure.Identity refuses an authority host that is not https ("Authority host must be a TLS protected (https)
/// endpoint"), so the Graph fake's token endpoint must be TLS; clients trust exactly this certificate by its
/// SHA-256 thumbprint (<see cref="Thumbprint"/>), never by turning validation off.
/// </summary>
public static class LoopbackCertificate
{
    private static readonly Lazy<X509Certificate2> Certificate = new(Create);

    public static X509Certificate2 Instance => Certificate.Value;

    /// <summary>Hex SHA-256 of the certificate, what a connection's PinnedCertificateSha256 setting takes.</summary>
    public static string Thumbprint => Convert.ToHexString(Instance.GetCertHash(HashAlgorithmName.SHA256));

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));

        // Kestrel needs the private key in a form the platform's TLS stack can use: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
