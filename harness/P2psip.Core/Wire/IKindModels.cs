namespace P2psip.Wire;

/// <summary>
/// What the decoder is told about the overlay's Kinds by the layers above it (§7.4.1.1, §11.1):
/// the data model each Kind's values are read with, as the number the message layer gives meaning
/// to (its <c>DataModel</c>), or null when the Kind is unknown and its values stay opaque. Defined
/// here so that the codec depends on nothing above it; the message layer's registry implements it.
/// </summary>
public interface IKindModels
{
    int? DataModelOf(uint kindId);
}
