namespace P2psip.Wire;

/// <summary>What a field on the wire is, so the adversary and the fuzzer know what they can bend.</summary>
public enum FieldKind
{
    /// <summary>A plain number (ttl, sequence, storage_time...).</summary>
    Integer,
    /// <summary>A byte length, computed by default.</summary>
    Length,
    /// <summary>A count of elements, computed by default.</summary>
    Count,
    /// <summary>A code point (message_code, error_code, Kind-ID).</summary>
    Code,
    /// <summary>An enumeration (types, flags, Booleans).</summary>
    Enum,
    /// <summary>Raw bytes (ids, opaque values).</summary>
    Bytes,
    /// <summary>A structure or list holding other fields.</summary>
    Container,
}
