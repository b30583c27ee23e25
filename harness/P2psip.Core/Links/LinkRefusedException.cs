namespace P2psip.Links;

/// <summary>A link that was not set up: the far side's certificate was refused, or the handshake failed. The reason is in words.</summary>
public sealed class LinkRefusedException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>A link that failed after it was set up (e.g. no ACK after every retransmission, §6.6.3.1).</summary>
public sealed class LinkFailedException(string reason) : Exception(reason);
