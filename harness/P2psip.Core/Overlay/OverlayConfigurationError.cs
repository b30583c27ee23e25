namespace P2psip.Overlay;

/// <summary>
/// A configuration document (§11.1) that is not well-formed XML or breaks the grammar of §11.1.1:
/// names the element at fault and the line it starts on.
/// </summary>
public sealed class OverlayConfigurationError(string element, int line, string reason)
    : Exception($"overlay configuration: <{element}> at line {line}: {reason} (RFC 6940 §11.1)")
{
    public string Element { get; } = element;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}
