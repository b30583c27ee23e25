using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;

namespace P2psip.Security;

/// <summary>
/// The enrollment CA of one overlay (§11.3): it authenticates a user by name and password, takes a
/// PKCS#10 request, and issues a certificate with an empty subject, the user name as an rfc822Name,
/// and Node-IDs it draws itself from a cryptographic random source, as reload:// URIs, never the one
/// the client asked for. It caps the Node-IDs issued to each user. Thread-safe.
/// On disk: <c>ca-key.pem</c> (0600), <c>ca-cert.pem</c>, <c>users.json</c> (0600).
/// </summary>
public sealed class EnrollmentAuthority
{
    public const string KeyFile = "ca-key.pem", CertificateFile = "ca-cert.pem", UsersFile = "users.json";
    public const int DefaultMaxNodesPerUser = 4;

    private readonly object _lock = new();
    private readonly Dictionary<string, UserAccount> _users = new(StringComparer.Ordinal);
    private readonly HashSet<string> _issuedNodeIds = new(StringComparer.Ordinal);
    private string? _usersPath;

    private EnrollmentAuthority(string overlay, int nodeIdLength, int maxNodesPerUser, AsymmetricCipherKeyPair keys, X509Certificate root)
    {
        Overlay = overlay;
        NodeIdLength = nodeIdLength;
        MaxNodesPerUser = maxNodesPerUser;
        Keys = keys;
        Root = root;
    }

    public string Overlay { get; }
    public int NodeIdLength { get; }
    public int MaxNodesPerUser { get; }
    public AsymmetricCipherKeyPair Keys { get; }
    /// <summary>The self-signed root, which goes in the configuration's root-cert (§11.1).</summary>
    public X509Certificate Root { get; }
    /// <summary>How long issued certificates are valid.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Makes a new CA: a key pair and a self-signed root certificate named after the overlay.</summary>
    public static EnrollmentAuthority Create(string overlay, int nodeIdLength = 16, int maxNodesPerUser = DefaultMaxNodesPerUser,
        KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        if (nodeIdLength is < 16 or > 20) throw new ArgumentOutOfRangeException(nameof(nodeIdLength), "a Node-ID has 16 to 20 bytes (§11.1)");
        if (maxNodesPerUser < 1) throw new ArgumentOutOfRangeException(nameof(maxNodesPerUser), "the cap must be at least 1");
        if (ProblemWithOverlayName(overlay) is { } problem) throw new ArgumentException(problem, nameof(overlay));
        var keys = KeyPairs.Generate(algorithm);
        var name = RootName(overlay);
        var now = DateTime.UtcNow;
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(RandomSerial());
        gen.SetIssuerDN(name);
        gen.SetSubjectDN(name);
        gen.SetNotBefore(now.AddMinutes(-5));
        gen.SetNotAfter(now.AddYears(10));
        gen.SetPublicKey(keys.Public);
        gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
        gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
        var root = gen.Generate(new Asn1SignatureFactory(KeyPairs.X509SignatureName(keys.Private), keys.Private, KeyPairs.Random));
        return new EnrollmentAuthority(overlay, nodeIdLength, maxNodesPerUser, keys, root);
    }

    /// <summary>
    /// Why <paramref name="overlay"/> cannot name an overlay, or null. The overlay name is a DNS name
    /// (§11.1: instance-name; §14.15: it is the host part of reload:// URIs): labels of letters,
    /// digits, '-' and '_', separated by dots, at most 253 characters.
    /// </summary>
    public static string? ProblemWithOverlayName(string overlay)
    {
        if (overlay.Length is 0 or > 253) return $"overlay name \"{Shown(overlay)}\" must have 1 to 253 characters";
        if (overlay.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')))
            return $"overlay name \"{Shown(overlay)}\" may contain only letters, digits, '-', '_' and '.' (a DNS name)";
        if (overlay.Split('.').Any(label => label.Length is 0 or > 63))
            return $"overlay name \"{Shown(overlay)}\" must be dot-separated labels of 1 to 63 characters";
        return null;
    }

    private static string Shown(string text) => text.Length > 60 ? text[..57] + "..." : text;

    /// <summary>
    /// The root's subject: one CN built from the attribute list, so no character of the name is read as
    /// X.500 syntax (RFC 4514 escaping), and cut to the 64 characters a CN may have (RFC 5280 ub-common-name).
    /// </summary>
    private static X509Name RootName(string overlay)
    {
        var cn = $"RELOAD enrollment CA for {overlay}";
        if (cn.Length > 64) cn = cn[..64];
        return new X509Name(new List<DerObjectIdentifier> { X509Name.CN }, new List<string> { cn });
    }

    public IReadOnlyCollection<string> Users { get { lock (_lock) return _users.Keys.ToArray(); } }

    public void AddUser(string user, string password)
    {
        if (UserAccount.ProblemWithName(user) is { } problem) throw new ArgumentException(problem, nameof(user));
        if (password.Length == 0) throw new ArgumentException("a password must not be empty", nameof(password));
        lock (_lock)
        {
            if (_users.ContainsKey(user)) throw new ArgumentException($"user {user} already exists", nameof(user));
            _users[user] = UserAccount.Create(user, password);
            SaveUsers();
        }
    }

    /// <summary>
    /// Handles one enrollment (§11.3). Returns the DER certificate, or throws
    /// <see cref="EnrollmentRefusedException"/> with the RFC's token.
    /// </summary>
    public byte[] Enroll(string user, string password, ReadOnlySpan<byte> csrDer, int nodeIds = 1)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(user, out var account) || !account.PasswordMatches(password))
                throw new EnrollmentRefusedException(EnrollmentError.FailedAuthentication, "unknown user or wrong password");

            var request = ReadRequest(csrDer);
            var requestedNames = RequestedNames(request);
            // The user name in the CSR must be the authenticated one (§11.3: "requested user name ... is acceptable").
            var requestedUser = requestedNames.Where(n => n.TagNo == GeneralName.Rfc822Name).Select(n => DerIA5String.GetInstance(n.Name).GetString()).ToArray();
            if (requestedUser.Length > 1 || (requestedUser.Length == 1 && requestedUser[0] != user))
                throw new EnrollmentRefusedException(EnrollmentError.UsernameNotAvailable,
                    $"the CSR asks for user name {string.Join(", ", requestedUser)}, but the account is {user}");

            if (nodeIds < 1 || account.NodeIds.Count + nodeIds > MaxNodesPerUser)
                throw new EnrollmentRefusedException(EnrollmentError.NodeIdsNotAvailable,
                    $"{nodeIds} Node-ID(s) asked, {account.NodeIds.Count} of at most {MaxNodesPerUser} already issued to {user}");

            var avoid = new HashSet<string>(requestedNames.Where(n => n.TagNo == GeneralName.UniformResourceIdentifier)
                .Select(n => ReloadUri.TryParseNode(DerIA5String.GetInstance(n.Name).GetString(), out var id, out _) ? Convert.ToHexStringLower(id) : "")
                .Where(s => s.Length > 0), StringComparer.Ordinal);
            var fresh = new List<byte[]>();
            while (fresh.Count < nodeIds)
            {
                // Cryptographically random, chosen by the server (§11.3, RFC 4086); never one asked for or issued before.
                var id = RandomNumberGenerator.GetBytes(NodeIdLength);
                var hex = Convert.ToHexStringLower(id);
                if (avoid.Contains(hex) || _issuedNodeIds.Contains(hex) || fresh.Any(f => f.AsSpan().SequenceEqual(id))) continue;
                fresh.Add(id);
            }
            var now = DateTime.UtcNow;
            var cert = Issue(request.GetPublicKey(), user, fresh, now.AddMinutes(-5), now + Validity);
            foreach (var id in fresh)
            {
                var hex = Convert.ToHexStringLower(id);
                account.NodeIds.Add(hex);
                _issuedNodeIds.Add(hex);
            }
            SaveUsers();
            return cert.GetEncoded();
        }
    }

    /// <summary>
    /// Issues a RELOAD certificate for any public key, user name and Node-IDs, with the validity given.
    /// Enrollment uses it after its checks; tests use it directly (to make an expired certificate, say).
    /// </summary>
    public X509Certificate Issue(AsymmetricKeyParameter publicKey, string userName, IEnumerable<byte[]> nodeIds, DateTime notBefore, DateTime notAfter) =>
        // The subject MUST be empty (§11.3).
        Build(publicKey, userName, nodeIds, Overlay, Root.SubjectDN, CertificateRequests.EmptyName, Keys.Private, notBefore, notAfter);

    /// <summary>A RELOAD node certificate: the user name and the reload:// Node-ID URIs in a critical subjectAltName (§11.3), signed by <paramref name="signingKey"/>.</summary>
    internal static X509Certificate Build(AsymmetricKeyParameter publicKey, string userName, IEnumerable<byte[]> nodeIds, string overlay,
        X509Name issuer, X509Name subject, AsymmetricKeyParameter signingKey, DateTime notBefore, DateTime notAfter)
    {
        var names = new List<GeneralName> { new(GeneralName.Rfc822Name, userName) };
        names.AddRange(nodeIds.Select(id => new GeneralName(GeneralName.UniformResourceIdentifier, ReloadUri.ForNode(id, overlay))));
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(RandomSerial());
        gen.SetIssuerDN(issuer);
        gen.SetSubjectDN(subject);
        gen.SetNotBefore(notBefore);
        gen.SetNotAfter(notAfter);
        gen.SetPublicKey(publicKey);
        // With an empty subject the subjectAltName must be critical (RFC 5280 §4.2.1.6).
        gen.AddExtension(X509Extensions.SubjectAlternativeName, true, new GeneralNames(names.ToArray()));
        gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment | KeyUsage.KeyAgreement));
        gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth));
        return gen.Generate(new Asn1SignatureFactory(KeyPairs.X509SignatureName(signingKey), signingKey, KeyPairs.Random));
    }

    /// <summary>A TLS server certificate for the enrollment/configuration server itself, naming the host by DNS name or IP address.</summary>
    public (AsymmetricCipherKeyPair Keys, X509Certificate Certificate) IssueServerCertificate(string host)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var now = DateTime.UtcNow;
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(RandomSerial());
        gen.SetIssuerDN(Root.SubjectDN);
        gen.SetSubjectDN(new X509Name($"CN={host}"));
        gen.SetNotBefore(now.AddMinutes(-5));
        gen.SetNotAfter(now.AddDays(30));
        gen.SetPublicKey(keys.Public);
        var name = System.Net.IPAddress.TryParse(host, out _) ? new GeneralName(GeneralName.IPAddress, host) : new GeneralName(GeneralName.DnsName, host);
        gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(name));
        gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth));
        return (keys, gen.Generate(new Asn1SignatureFactory(KeyPairs.X509SignatureName(Keys.Private), Keys.Private, KeyPairs.Random)));
    }

    private static Pkcs10CertificationRequest ReadRequest(ReadOnlySpan<byte> der)
    {
        Pkcs10CertificationRequest request;
        try
        {
            request = new Pkcs10CertificationRequest(der.ToArray());
            if (!request.Verify())
                throw new EnrollmentRefusedException(EnrollmentError.BadCsr, "the CSR's signature does not verify with its public key");
        }
        catch (EnrollmentRefusedException) { throw; }
        catch (Exception e)
        {
            throw new EnrollmentRefusedException(EnrollmentError.BadCsr, $"the CSR cannot be read: {e.Message}");
        }
        if (KeyPairs.AlgorithmOf(request.GetPublicKey()) is null)
            throw new EnrollmentRefusedException(EnrollmentError.BadCsr, "the CSR's key is neither RSA of at least 2048 bits nor ECDSA P-256");
        return request;
    }

    private static GeneralName[] RequestedNames(Pkcs10CertificationRequest request)
    {
        try
        {
            var extensions = request.GetRequestedExtensions();
            var san = extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            return san is null ? [] : GeneralNames.GetInstance(san.GetParsedValue()).GetNames();
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            throw new EnrollmentRefusedException(EnrollmentError.BadCsr, $"the CSR's extension request cannot be read: {e.Message}");
        }
    }

    private static BigInteger RandomSerial() => new(1, RandomNumberGenerator.GetBytes(16));

    // ----- persistence -----

    private sealed record StoredUsers(string Overlay, int NodeIdLength, int MaxNodesPerUser, List<UserAccount> Users);

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        PemFiles.WriteOwnerOnly(Path.Combine(directory, KeyFile), PemFiles.ToPem(Keys.Private));
        File.WriteAllText(Path.Combine(directory, CertificateFile), PemFiles.ToPem(Root));
        lock (_lock)
        {
            _usersPath = Path.Combine(directory, UsersFile);
            SaveUsers();
        }
    }

    /// <summary>The files <see cref="Save"/> writes, as text, for a caller that writes them as one set.</summary>
    public IReadOnlyList<(string File, string Text, bool OwnerOnly)> Files()
    {
        lock (_lock)
            return [(KeyFile, PemFiles.ToPem(Keys.Private), true), (CertificateFile, PemFiles.ToPem(Root), false), (UsersFile, UsersJson(), true)];
    }

    /// <summary>
    /// Why this CA cannot issue certificates that its own root verifies, or null: the key must be the
    /// root's key (a CA key from another overlay makes every client fail).
    /// </summary>
    public string? ProblemWithKeys()
    {
        var probe = new byte[32];
        RandomNumberGenerator.Fill(probe);
        var signer = Org.BouncyCastle.Security.SignerUtilities.GetSigner(KeyPairs.X509SignatureName(Keys.Private));
        signer.Init(true, Keys.Private);
        signer.BlockUpdate(probe, 0, probe.Length);
        var signature = signer.GenerateSignature();
        var verifier = Org.BouncyCastle.Security.SignerUtilities.GetSigner(KeyPairs.X509SignatureName(Keys.Private));
        try
        {
            verifier.Init(false, Root.GetPublicKey());
            verifier.BlockUpdate(probe, 0, probe.Length);
            if (verifier.VerifySignature(signature)) return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or Org.BouncyCastle.Security.InvalidKeyException) { }
        return $"{KeyFile} is not the key of {CertificateFile} (the CA key does not match the CA certificate)";
    }

    public static EnrollmentAuthority Load(string directory)
    {
        var usersPath = Path.Combine(directory, UsersFile);
        StoredUsers stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredUsers>(File.ReadAllText(usersPath))
                ?? throw new InvalidDataException($"{usersPath}: empty");
        }
        catch (JsonException e)
        {
            // Not the type's name (EnrollmentAuthority+StoredUsers): where the file stops being a user list.
            throw new InvalidDataException($"{usersPath}: not a user list (line {(e.LineNumber ?? 0) + 1})", e);
        }
        if (stored.Overlay is null || stored.Users is null) throw new InvalidDataException($"{usersPath}: not a user list (no overlay or users)");
        var ca = new EnrollmentAuthority(stored.Overlay, stored.NodeIdLength, stored.MaxNodesPerUser,
            PemFiles.ReadKeyPair(Path.Combine(directory, KeyFile)), PemFiles.ReadCertificate(Path.Combine(directory, CertificateFile)));
        foreach (var account in stored.Users)
        {
            ca._users[account.User] = account;
            foreach (var id in account.NodeIds) ca._issuedNodeIds.Add(id);
        }
        ca._usersPath = usersPath;
        return ca;
    }

    private void SaveUsers()
    {
        if (_usersPath is null) return;
        PemFiles.WriteOwnerOnly(_usersPath, UsersJson());
    }

    private string UsersJson()
    {
        var stored = new StoredUsers(Overlay, NodeIdLength, MaxNodesPerUser, _users.Values.OrderBy(u => u.User, StringComparer.Ordinal).ToList());
        return JsonSerializer.Serialize(stored, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Node-IDs issued so far to <paramref name="user"/>, in hex.</summary>
    public IReadOnlyList<string> NodeIdsOf(string user)
    {
        lock (_lock) return _users.TryGetValue(user, out var a) ? a.NodeIds.ToArray() : [];
    }
}
