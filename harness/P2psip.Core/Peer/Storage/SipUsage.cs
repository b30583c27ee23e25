using P2psip.Messages.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// The SIP usage (RFC 7904) over the storage methods: register an AOR (Kind SIP-REGISTRATION,
/// a dictionary keyed by the registering Node-ID under USER-NODE-MATCH) and read the contacts back.
/// One convention for the AOR everywhere: the Resource Name is the AOR with its scheme,
/// "sip:user@domain" (§13.5.1's example), hashed by <see cref="OverlayHash.SipAorResourceId"/>;
/// an AOR given without a scheme gets "sip:". USER-NODE-MATCH compares the Resource-ID with the hash
/// of "sip:" + the certificate's user name (<see cref="AccessControl.UserResourceId"/>), so a user
/// may register exactly the AOR "sip:" + their user name.
/// </summary>
public static class SipUsage
{
    public const string Scheme = "sip:";

    /// <summary>The AOR in the form that is hashed: with "sip:" (or "sips:") kept, "sip:" added when there is no scheme.</summary>
    public static string AorOf(string aorOrUserName) =>
        aorOrUserName.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || aorOrUserName.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)
            ? aorOrUserName
            : Scheme + aorOrUserName;

    /// <summary>Where the registrations of <paramref name="aor"/> are stored.</summary>
    public static Opaque ResourceIdOf(string aor) => OverlayHash.SipAorResourceId(AorOf(aor));

    /// <summary>
    /// A StoreReq registering <paramref name="registration"/> for <paramref name="aor"/> under the
    /// identity's Node-ID, its StoredData signed by the identity (§7.1). The caller signs the message.
    /// </summary>
    public static StoreReq Register(Identity identity, string aor, SipRegistration registration, DateTimeOffset storageTime,
        uint lifetimeSeconds, ulong generationCounter = 0, Opaque? asNodeId = null)
    {
        var nodeId = asNodeId ?? identity.NodeId;
        var resource = ResourceIdOf(aor);
        var data = new StoredData((ulong)storageTime.ToUnixTimeMilliseconds(), lifetimeSeconds, registration.ToEntry(nodeId), null);
        var signed = MessageSigner.SignStoredData(identity, resource, KindRegistry.SipRegistration, data, asNodeId);
        return new StoreReq(resource, 0, [new StoreKindData(KindRegistry.SipRegistration, generationCounter, [signed])]);
    }

    /// <summary>Registers a contact URI (sip_registration_uri, RFC 7904 §3.1).</summary>
    public static StoreReq Register(Identity identity, string aor, string contactUri, DateTimeOffset storageTime, uint lifetimeSeconds, ulong generationCounter = 0) =>
        Register(identity, aor, SipRegistrationUri.Of(contactUri), storageTime, lifetimeSeconds, generationCounter);

    /// <summary>A StoreReq removing this node's registration: exists = False at its key (§7.4.1.3).</summary>
    public static StoreReq Unregister(Identity identity, string aor, DateTimeOffset storageTime, uint lifetimeSeconds)
    {
        var resource = ResourceIdOf(aor);
        var data = new StoredData((ulong)storageTime.ToUnixTimeMilliseconds(), lifetimeSeconds, new DictionaryEntry(identity.NodeId, DataValue.Nonexistent), null);
        return new StoreReq(resource, 0, [new StoreKindData(KindRegistry.SipRegistration, 0, [MessageSigner.SignStoredData(identity, resource, KindRegistry.SipRegistration, data)])]);
    }

    /// <summary>A wildcard Fetch of every registration of <paramref name="aor"/> (§7.4.2.1: no keys = all).</summary>
    public static FetchReq Lookup(string aor) =>
        new(ResourceIdOf(aor), [new StoredDataSpecifier(KindRegistry.SipRegistration, 0, new DictionarySpecifier(ValueList<Opaque>.Empty))]);

    /// <summary>
    /// The registrations in a FetchAns: existing values of Kind SIP-REGISTRATION that decode, each with
    /// the Node-ID it is registered under. When <paramref name="verifyAgainst"/> is given, only values
    /// whose signatures verify with those certificates at <paramref name="aor"/>'s Resource-ID are kept
    /// (§7.4.2.2: "nodes MUST verify the signatures on all the received values").
    /// </summary>
    public static IReadOnlyList<SipContact> ContactsIn(FetchAns answer, string aor, IEnumerable<Opaque>? verifyAgainst = null, DecodeOptions? options = null)
    {
        var resource = ResourceIdOf(aor);
        var certificates = verifyAgainst is null ? null : MessageSigner.ParseAll(verifyAgainst);
        var contacts = new List<SipContact>();
        foreach (var response in answer.KindResponses.Where(r => r.Kind == KindRegistry.SipRegistration))
        {
            foreach (var data in response.Values)
            {
                if (data.Value is not DictionaryEntry { Value.Exists: true } entry) continue;
                if (certificates is not null && !MessageSigner.VerifyStoredData(resource, KindRegistry.SipRegistration, data, certificates).Valid) continue;
                var decoded = SipRegistration.Decode(entry.Value.Value, options);
                if (decoded.Value is { } registration) contacts.Add(new SipContact(entry.Key, registration));
            }
        }
        return contacts;
    }
}

/// <summary>One registration of an AOR: the registering Node-ID (the dictionary key) and what it registered.</summary>
public sealed record SipContact(Opaque NodeId, SipRegistration Registration)
{
    /// <summary>The contact URI of a sip_registration_uri registration, else null.</summary>
    public string? Uri => Registration is SipRegistrationUri uri ? uri.UriText : null;

    public override string ToString() => $"{NodeId.ToHex()}: {Registration}";
}
