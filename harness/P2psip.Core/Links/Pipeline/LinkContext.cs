namespace P2psip.Links;

/// <summary>
/// A handler's place on one link's pipeline: the link's metadata, and the way on from that place.
/// A handler may keep it and use it at any time while the link is open.
/// </summary>
public sealed class LinkContext
{
    private readonly LinkPipeline _pipeline;

    internal LinkContext(LinkPipeline pipeline, ILinkHandler handler)
    {
        _pipeline = pipeline;
        Handler = handler;
    }

    public ILinkHandler Handler { get; }

    /// <summary>The link as it is now (its remote Node-ID may be set after it opened, on plaintext links).</summary>
    public LinkInfo Link => _pipeline.Info;

    /// <summary>Cancelled when the link closes.</summary>
    public CancellationToken LinkClosing => _pipeline.Closing;

    /// <summary>
    /// Passes <paramref name="message"/> to the next handler in its direction (toward the wire for
    /// outbound, toward the link's owner for inbound), or past the last one to the wire or the owner.
    /// Completes when the message has been written or queued for the owner.
    /// </summary>
    public ValueTask ForwardAsync(LinkMessage message) => _pipeline.ContinueAsync(Handler, message);

    /// <summary>
    /// Puts a new message on the link from this handler's place, as if it had passed here: handlers
    /// between here and the end in its direction see it, those before do not.
    /// </summary>
    public ValueTask InjectAsync(LinkMessage message) => _pipeline.ContinueAsync(Handler, message);
}
