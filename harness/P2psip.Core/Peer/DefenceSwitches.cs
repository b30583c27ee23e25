using System.Collections.Immutable;

namespace P2psip.Peer;

/// <summary>
/// Every defence of THREATS.md as a named switch, all on by default. Turning one off gives the
/// "vulnerable variant" that proves the matching oracle can fail; a peer prints its switched-off
/// defences at start-up and every report names them.
/// </summary>
public sealed class DefenceSwitches
{
    public const string TlsOnly = "tls-only";
    public const string CertificateValidation = "certificate-validation";
    public const string CertificateNodeId = "certificate-node-id";
    public const string MessageSignatures = "message-signatures";
    public const string ResponseOrigin = "response-origin";
    public const string DataSignatures = "data-signatures";
    public const string AccessControl = "access-control";
    public const string KindCheck = "kind-check";
    public const string Quotas = "quotas";
    public const string StorageTime = "storage-time";
    public const string GenerationCounter = "generation-counter";
    public const string TransactionReplay = "transaction-replay";
    public const string JoinLeaveBinding = "join-leave-binding";
    public const string AttachBeforeUpdate = "attach-before-update";
    public const string RateLimits = "rate-limits";
    public const string Ttl = "ttl";
    public const string ConfigSequence = "config-sequence";
    public const string CriticalOptions = "critical-options";
    public const string RedundantLookups = "redundant-lookups";

    /// <summary>The catalogue, in the order reports list it.</summary>
    public static ImmutableArray<Defence> Catalogue { get; } =
    [
        new(TlsOnly, "TR-1a", "6.6", "overlay links are TLS or DTLS only; plaintext connections are refused"),
        new(CertificateValidation, "TR-1b, TR-3, UN-1b", "13.3", "link certificates must chain to the overlay's root, be in date and not self-signed"),
        new(CertificateNodeId, "TR-1b, UN-1a", "13.6.3", "a node may use only Node-IDs its certificate carries (links, Via, Join, Update, signatures)"),
        new(MessageSignatures, "UN-2c, TR-2a", "6.3.4", "the destination verifies every message signature and drops what fails"),
        new(ResponseOrigin, "UN-1c", "6.3.4", "a response must come from the destination Node-ID, or from a node at least as close to the Resource-ID as any neighbour"),
        new(DataSignatures, "TR-2a, TR-2b, TR-4a", "7.1", "every StoredData signature is verified against the storing user's certificate"),
        new(AccessControl, "TR-2b, TR-2c, TR-4b", "7.3", "the Kind's access-control policy (USER-MATCH, NODE-MATCH, USER-NODE-MATCH, NODE-MULTIPLE) is enforced on Store"),
        new(KindCheck, "TR-4a", "7.4.1.2", "unknown Kinds get Error_Unknown_Kind and values must match the Kind's data model"),
        new(Quotas, "TR-5", "7.4.1.1", "max-count, max-size and max-message-size from the configuration are enforced"),
        new(StorageTime, "UN-3", "7.4.1.1", "a Store whose storage_time is not newer than the stored value's gets Error_Data_Too_Old"),
        new(GenerationCounter, "UN-3", "7.4.1.1", "a Store whose generation counter is too low gets Error_Generation_Counter_Too_Low"),
        new(TransactionReplay, "UN-3", "6.3.2", "a request replayed with a transaction id already seen is not executed twice"),
        new(JoinLeaveBinding, "UN-3, UN-5", "10.5", "Join and Leave are honoured only from the channel bound to that Node-ID"),
        new(AttachBeforeUpdate, "UN-4", "10.7.3", "Node-IDs learned from an Update enter the tables only after an Attach to them succeeded"),
        new(RateLimits, "UN-5", "10.7.2", "Join, Leave and Update floods are rate-limited per link"),
        new(Ttl, "PC", "6.3.2", "TTL is decremented, Error_TTL_Exceeded at zero, and values above initial-ttl are refused"),
        new(ConfigSequence, "PC", "6.3.2.1", "requests with another configuration sequence get Error_Config_Too_Old or Error_Config_Too_New"),
        new(CriticalOptions, "PC", "6.3.2.3", "unknown critical forwarding options and extensions are refused"),
        new(RedundantLookups, "UN-2a, UN-1c", "13.6.6", "a lookup goes through several first hops and to the replica set, takes only answers that verify and keeps the freshest"),
    ];

    private readonly ImmutableHashSet<string> _off;

    // The same names as a short array: IsOn runs several times for every message, and callers pass the
    // constants above, so a reference comparison mostly settles it without hashing the name.
    private readonly string[] _offNames;

    private DefenceSwitches(ImmutableHashSet<string> off)
    {
        _off = off;
        _offNames = [.. off];
    }

    public static DefenceSwitches AllOn { get; } = new(ImmutableHashSet<string>.Empty);

    public bool IsOn(string name)
    {
        foreach (var off in _offNames)
            if (ReferenceEquals(off, name) || string.Equals(off, name, StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>The defences switched off, in catalogue order.</summary>
    public IReadOnlyList<Defence> Disabled => Catalogue.Where(d => _off.Contains(d.Name)).ToList();

    /// <summary>Switches defences off by name; an unknown name is an error that lists the valid ones.</summary>
    public DefenceSwitches Disable(params IEnumerable<string> names)
    {
        var off = _off;
        foreach (var name in names)
        {
            if (!Catalogue.Any(d => d.Name == name))
                throw new ArgumentException($"unknown defence '{name}'; known: {string.Join(", ", Catalogue.Select(d => d.Name))}", nameof(names));
            off = off.Add(name);
        }
        return new DefenceSwitches(off);
    }

    /// <summary>One line for start-up banners and reports.</summary>
    public override string ToString() =>
        _off.IsEmpty ? "all defences on" : "DEFENCES OFF: " + string.Join(", ", Disabled.Select(d => d.Name));
}
