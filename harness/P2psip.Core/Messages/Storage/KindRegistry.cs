using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// Kind-IDs the codec knows, with their data models (§7.4.5, §14.6). A value of a Kind missing from
/// the registry stays opaque: StoredData's own length lets the decoder skip it (§7.4.1.1).
/// </summary>
public sealed class KindRegistry : IKindModels
{
    public const uint SipRegistration = 1;
    public const uint TurnService = 2;
    public const uint CertificateByNode = 3;
    public const uint CertificateByUser = 16;

    private readonly Dictionary<uint, DataModel> _models;

    public KindRegistry(IEnumerable<KeyValuePair<uint, DataModel>> kinds) => _models = new Dictionary<uint, DataModel>(kinds);

    /// <summary>The Kinds of RFC 6940 and the SIP usage (RFC 7904).</summary>
    public static KindRegistry Default { get; } = new(new Dictionary<uint, DataModel>
    {
        [SipRegistration] = DataModel.Dictionary,
        [TurnService] = DataModel.SingleValue,
        [CertificateByNode] = DataModel.Array,
        [CertificateByUser] = DataModel.Array,
    });

    public bool TryGetModel(uint kindId, out DataModel model) => _models.TryGetValue(kindId, out model);

    /// <summary>
    /// The data model the decoder reads a Kind's values with, or null when the Kind is not
    /// registered or its model is not one of §7.2's three: such values stay opaque (§7.4.1.1).
    /// </summary>
    public DataModel? ModelOf(uint kindId) =>
        _models.TryGetValue(kindId, out var model) && model is DataModel.SingleValue or DataModel.Array or DataModel.Dictionary
            ? model
            : null;

    public IReadOnlyDictionary<uint, DataModel> Models => _models;

    int? IKindModels.DataModelOf(uint kindId) => ModelOf(kindId) is { } model ? (int)model : null;

    /// <summary>The data model the decoder reads a Kind's values with under <paramref name="options"/> (the default registry when none is given).</summary>
    public static DataModel? ModelOf(DecodeOptions options, uint kindId) => options.Kinds switch
    {
        null => Default.ModelOf(kindId),
        KindRegistry registry => registry.ModelOf(kindId),
        var other => other.DataModelOf(kindId) is { } code && Enum.IsDefined((DataModel)code) ? (DataModel)code : null,
    };

    public KindRegistry With(uint kindId, DataModel model)
    {
        var copy = new Dictionary<uint, DataModel>(_models) { [kindId] = model };
        return new KindRegistry(copy);
    }

    public static string? KindName(ulong kindId) => kindId switch
    {
        SipRegistration => "SIP-REGISTRATION",
        TurnService => "TURN-SERVICE",
        CertificateByNode => "CERTIFICATE_BY_NODE",
        CertificateByUser => "CERTIFICATE_BY_USER",
        _ => null,
    };
}
