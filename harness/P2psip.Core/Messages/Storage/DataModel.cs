namespace P2psip.Messages.Storage;

/// <summary>The data models of §7.2 (wire values as in §7.4.1.1's DataModel enum).</summary>
public enum DataModel : byte
{
    SingleValue = 1,
    Array = 2,
    Dictionary = 3,
}
