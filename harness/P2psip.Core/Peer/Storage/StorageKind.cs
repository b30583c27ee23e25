using P2psip.Messages.Storage;
using P2psip.Overlay;

namespace P2psip.Peer.Storage;

/// <summary>
/// A Kind as the engine enforces it (§7.4.5, §11.1): its Kind-ID, data model, access-control
/// policy and limits. <see cref="Model"/> is null when the configuration names a data model this
/// engine does not know.
/// </summary>
public sealed record StorageKind(uint Id, DataModel? Model, AccessPolicy Policy, int MaxCount, int MaxSize, int MaxNodeMultiple = 0)
{
    /// <summary>
    /// Resolves a kind-block: IANA names to Kind-IDs (§14.6), SINGLE/ARRAY/DICTIONARY to data models,
    /// policy names to <see cref="AccessPolicy"/>. Returns null for an IANA name this engine does not know.
    /// </summary>
    public static StorageKind? From(KindDefinition definition)
    {
        uint? id = definition.Id ?? IdOf(definition.Name);
        if (id is not { } kindId) return null;
        DataModel? model = definition.DataModel.ToUpperInvariant() switch
        {
            "SINGLE" or "SINGLE-VALUE" or "SINGLE_VALUE" => DataModel.SingleValue,
            "ARRAY" => DataModel.Array,
            "DICTIONARY" => DataModel.Dictionary,
            _ => null,
        };
        var policy = definition.AccessControl.ToUpperInvariant() switch
        {
            "USER-MATCH" => AccessPolicy.UserMatch,
            "NODE-MATCH" => AccessPolicy.NodeMatch,
            "USER-NODE-MATCH" => AccessPolicy.UserNodeMatch,
            "NODE-MULTIPLE" => AccessPolicy.NodeMultiple,
            _ => AccessPolicy.Unsupported,
        };
        return new StorageKind(kindId, model, policy, definition.MaxCount, definition.MaxSize, definition.MaxNodeMultiple ?? 0);
    }

    /// <summary>The Kind-ID of an IANA Kind name (§14.6, RFC 7904), or null.</summary>
    public static uint? IdOf(string? name) => name?.ToUpperInvariant() switch
    {
        "SIP-REGISTRATION" => KindRegistry.SipRegistration,
        "TURN-SERVICE" => KindRegistry.TurnService,
        "CERTIFICATE_BY_NODE" => KindRegistry.CertificateByNode,
        "CERTIFICATE_BY_USER" => KindRegistry.CertificateByUser,
        _ => null,
    };

    /// <summary>The Kinds of a configuration: its required-kinds, or the defaults when the element is absent.</summary>
    public static IReadOnlyDictionary<uint, StorageKind> AllOf(OverlayConfiguration configuration)
    {
        var kinds = new Dictionary<uint, StorageKind>();
        foreach (var definition in configuration.RequiredKinds ?? OverlayConfiguration.DefaultKinds)
            if (From(definition) is { } kind) kinds[kind.Id] = kind;
        return kinds;
    }

    public override string ToString() => $"{KindRegistry.KindName(Id) ?? $"kind {Id}"} ({Model?.ToString() ?? "unknown model"}, {Policy}, max-count {MaxCount}, max-size {MaxSize})";
}
