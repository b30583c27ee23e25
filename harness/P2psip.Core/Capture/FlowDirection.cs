namespace P2psip.Capture;

/// <summary>Which way a segment or frame goes on a connection to a RELOAD port.</summary>
public enum FlowDirection
{
    /// <summary>From the connecting side (ephemeral port) to the RELOAD port.</summary>
    ToServer,
    /// <summary>From the RELOAD port back to the connecting side.</summary>
    ToClient,
}
