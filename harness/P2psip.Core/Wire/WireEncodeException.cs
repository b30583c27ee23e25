namespace P2psip.Wire;

/// <summary>A message model that cannot be written, such as a value too long for its length prefix.</summary>
public sealed class WireEncodeException(string fieldPath, string reason)
    : Exception($"{fieldPath}: {reason}")
{
    public string FieldPath { get; } = fieldPath;
    public string Reason { get; } = reason;
}
