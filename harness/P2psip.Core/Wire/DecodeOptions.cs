namespace P2psip.Wire;

/// <summary>
/// What the decoder needs from the overlay configuration: the Node-ID length (§6.3.1.1, 16..20
/// bytes, 16 for CHORD-RELOAD by default) and the data model of each known Kind (§7.4.1.1), given
/// by the layer above as an <see cref="IKindModels"/> (null: the RFC's and the SIP usage's Kinds).
/// </summary>
public sealed record DecodeOptions
{
    public static DecodeOptions Default { get; } = new();

    public int NodeIdLength { get; init; } = 16;

    public IKindModels? Kinds { get; init; }
}
