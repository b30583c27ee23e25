namespace P2psip.Links;

/// <summary>The old one-slot <see cref="LinkTap"/> as a pipeline handler: what <see cref="IOverlayLink.Tap"/> sets.</summary>
public sealed class TapHandler(LinkTap tap) : ILinkHandler
{
    public LinkTap Tap => tap;

    public ValueTask HandleAsync(LinkMessage message, LinkContext context) =>
        tap(message.Direction, message.Bytes.ToArray()) is { } passed
            ? context.ForwardAsync(message with { Bytes = passed })
            : ValueTask.CompletedTask;
}
