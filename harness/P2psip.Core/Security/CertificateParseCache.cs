using System.Collections.Concurrent;
using P2psip.Wire;

namespace P2psip.Security;

/// <summary>
/// Certificates parsed once per distinct DER (issue 11, resource bounds): every signed message
/// carries its signer's certificate in the bucket (§6.3.4), and parsing X.509 for every message,
/// under the peer's lock, is what a flood of signed messages would cost otherwise. Bounded at
/// <see cref="Capacity"/> entries: when full it starts again empty (a flood of distinct
/// certificates costs what it cost before, never more memory). Unparseable bytes are remembered too.
/// Thread-safe.
/// </summary>
public static class CertificateParseCache
{
    public const int Capacity = 1024;

    private static readonly ConcurrentDictionary<Opaque, ReloadCertificate?> Entries = new();

    public static int Count => Entries.Count;

    /// <summary>The certificate <paramref name="der"/> encodes, or null when it does not parse as one.</summary>
    public static ReloadCertificate? Get(Opaque der)
    {
        if (Entries.TryGetValue(der, out var known)) return known;
        ReloadCertificate? parsed;
        try { parsed = ReloadCertificate.FromDer(der.Span); }
        catch (Exception e) when (e is InvalidDataException or Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException)
        {
            parsed = null;
        }
        if (Entries.Count >= Capacity) Entries.Clear();
        // The key is copied: the DER may live in a receive buffer that is reused.
        Entries.TryAdd(der.ToArray(), parsed);
        return parsed;
    }
}
